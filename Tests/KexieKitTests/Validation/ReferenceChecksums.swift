/// Second, independently written check-digit implementations used only to
/// build valid test inputs: weights are derived from their definitions here
/// rather than copied from the production tables.
enum ReferenceChecksums {
    /// ISO 7064 MOD 11-2 as in GB 11643: weight_i = 2^(17-i) mod 11,
    /// check value = (12 - sum mod 11) mod 11, where 10 is written X.
    static func idNumber(_ first17: String) -> String {
        var sum = 0
        for (offset, character) in first17.enumerated() {
            var weight = 1
            for _ in 0..<(17 - offset) { weight = weight * 2 % 11 }
            sum += Int(String(character))! * weight
        }
        let value = (12 - sum % 11) % 11
        return first17 + (value == 10 ? "X" : String(value))
    }

    /// GB 32100: weight_i = 3^i mod 31, check = 31 - sum mod 31 (31 → 0).
    static func creditCode(_ first17: String) -> String {
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        var sum = 0
        var weight = 1
        for character in first17 {
            sum += alphabet.firstIndex(of: character)! * weight
            weight = weight * 3 % 31
        }
        let value = 31 - sum % 31
        return first17 + String(alphabet[value == 31 ? 0 : value])
    }
}
