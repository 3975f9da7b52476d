#!/usr/bin/env python3
"""Logs a demo account in (password, then the authenticator code for administrators) and prints the
session cookie's value. Usage: login.py BASE ACCOUNT DEMO_ACCOUNTS_FILE. Standard library only."""
import base64, hashlib, hmac, http.cookiejar, re, struct, sys, time, urllib.parse, urllib.request

base, account, accounts_file = sys.argv[1:4]
row = next(line.rstrip("\n").split("\t") for line in open(accounts_file, encoding="utf-8") if line.split("\t")[0] == account)
password, secret = row[1], (row[5] if len(row) > 5 else "")
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def cookie(name):
    return next((c.value for c in jar if c.name == name), "")


def post(path, fields):
    data = urllib.parse.urlencode({"_csrf": cookie("kexie_csrf"), **fields}).encode()
    return opener.open(base + path, data, timeout=20)


def totp(secret_b32, at):
    key = base64.b32decode(secret_b32.upper() + "=" * (-len(secret_b32) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(at // 30)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000)


opener.open(base + "/login", timeout=20).read()
answer = post("/login", {"identifier": account, "password": password})
if "/login/second-factor" in answer.geturl():
    if not secret:
        sys.exit(f"{account} needs an authenticator code and has no secret in {accounts_file}")
    post("/login/second-factor", {"code": totp(secret, time.time())}).read()
session = cookie("kexie_session")
if not session or re.search(r"second-factor", opener.open(base + "/", timeout=20).geturl()):
    sys.exit(f"log-in as {account} failed")
print(session)
