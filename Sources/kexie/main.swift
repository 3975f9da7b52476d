import Foundation
import KexieApp
import Logging
import Platform
import Vapor

var env = try Environment.detect()
try LoggingSystem.bootstrap(from: &env)
let configuration: KexieConfiguration
do {
    configuration = try KexieConfiguration.fromEnvironment()
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(2)
}
let app = try await Application.make(env)
do {
    try KexieApp.configure(app, configuration: configuration)
    try await app.execute()
} catch {

    FileHandle.standardError.write(Data("\(error)\n".utf8))
    try? await app.asyncShutdown()
    exit(1)
}
try await app.asyncShutdown()
