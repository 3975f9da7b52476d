#!/usr/bin/env python3
"""Independent check of generated people files against the app's validation rules.

    python3 bench/members/check_people.py /tmp/people-10k.xlsx /tmp/people-90k.xlsx [--expect-invalid N]

Reads the vocabularies and title lists from the Swift sources (Sources/KexieKit/People/*.swift) and
the classifications from Sources/KexieKit/Resources, so it shares no tables with generate_people.py.
Re-implements PersonProfileValidator, ResidentIDNumber (GB 11643 check character), MobileNumber and
EmailAddress, and checks that 手机 and 身份证号 are unique across all files given (as two imports into
the same organization require). Exits non-zero when the number of invalid rows differs from
--expect-invalid (default 0).
"""

import argparse
import csv
import datetime
import json
import os
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PEOPLE = os.path.join(ROOT, "Sources", "KexieKit", "People")
RESOURCES = os.path.join(ROOT, "Sources", "KexieKit", "Resources")
HEADER = "姓名,性别,出生年月,民族,政治面貌,学历,学位,职称,职称级别,工作单位,省,市,县/区,学科,行业,研究方向,手机,邮箱,身份证号".split(",")

# ---------------------------------------------------------------------------------------------- text


def fold(text):
    out = []
    for ch in text:
        o = ord(ch)
        if 0xFF01 <= o <= 0xFF5E:
            out.append(chr(o - 0xFEE0))
        elif o == 0x3000:
            out.append(" ")
        elif o == 0x3002:
            out.append(".")
        else:
            out.append(ch)
    return "".join(out)


def key(text):
    return "".join(c for c in fold(text) if not c.isspace() and c not in "、,，·•・/／").lower()


def clean(text):
    return " ".join(fold(text).split())


def drop_remark(text):
    if text and text[-1] in ")）":
        open_index = max(text.rfind("("), text.rfind("（"))
        if open_index > 0:
            return text[:open_index]
    return text


# ---------------------------------------------------------------------------------------------- Swift sources


def swift(name):
    with open(os.path.join(PEOPLE, name), encoding="utf-8") as f:
        return f.read()


def block(source, start_pattern):
    """Text of the brace block that starts at the first match of start_pattern."""
    match = re.search(start_pattern, source)
    if not match:
        raise SystemExit(f"cannot find {start_pattern!r} in the Swift sources")
    i = source.index("{", match.end() - 1)
    depth = 0
    for j in range(i, len(source)):
        if source[j] == "{":
            depth += 1
        elif source[j] == "}":
            depth -= 1
            if depth == 0:
                return source[i:j + 1]
    raise SystemExit("unbalanced braces")


def vocabulary(type_block):
    """{case: set(accepted keys)} from `case x = "raw"`, `var label` and `var synonyms` switches."""
    accepted = {}
    for case, raw in re.findall(r'case (\w+)(?: = "([^"]*)")?\s*$', type_block, re.M):
        accepted.setdefault(case, set()).add(key(raw or case))
    label_block = block(type_block, r"var label: String \{")
    for case, label in re.findall(r'case \.(\w+): return "([^"]*)"', label_block):
        accepted.setdefault(case, set()).add(key(label))
    if "var synonyms" in type_block:
        synonym_block = block(type_block, r"var synonyms: \[String\] \{")
        for cases, values in re.findall(r"case ((?:\.\w+(?:, )?)+): return \[([^\]]*)\]", synonym_block):
            for case in re.findall(r"\.(\w+)", cases):
                for value in re.findall(r'"([^"]*)"', values):
                    accepted.setdefault(case, set()).add(key(value))
    return accepted


def labels(type_block):
    return dict(re.findall(r'case \.(\w+): return "([^"]*)"', block(type_block, r"var label: String \{")))


def resolver(accepted):
    by_key = {}
    for case, keys in accepted.items():
        for k in keys:
            by_key.setdefault(k, case)  # first case wins, like allCases.first
    return lambda text: by_key.get(key(text)) if key(text) else None


vocab_source = swift("ProfileVocabulary.swift")
EDUCATION = resolver(vocabulary(block(vocab_source, r"enum Education: String, ProfileVocabulary \{")))
DEGREE = resolver(vocabulary(block(vocab_source, r"enum Degree: String, ProfileVocabulary \{")))
POLITICAL = resolver(vocabulary(block(vocab_source, r"enum PoliticalStatus: String, ProfileVocabulary \{")))
sex_accepted = {"male": {key("male"), key("男")}, "female": {key("female"), key("女")}}
for case, values in re.findall(r"case \.(male|female): return \[([^\]]*)\]",
                               block(vocab_source, r"extension Sex: ProfileVocabulary \{")):
    sex_accepted[case] |= {key(v) for v in re.findall(r'"([^"]*)"', values)}
SEX = resolver(sex_accepted)

eth_block = block(swift("Ethnicity.swift"), r"enum Ethnicity: String, ProfileVocabulary \{")
eth_cases = re.findall(r"^\s*case (\w+)", eth_block.split("public var gbCode")[0], re.M)
eth_labels = labels(eth_block)
eth_accepted = {}
for index, case in enumerate(eth_cases):
    code = "97" if case == "other" else "98" if case == "foreignOrigin" else f"{index + 1:02d}"
    names = {case, eth_labels[case], code}
    if case not in ("other", "foreignOrigin", "deang"):
        names.add(eth_labels[case][:-1])
    eth_accepted[case] = {key(n) for n in names}
eth_accepted["foreignOrigin"].add(key("foreign_origin"))
ETHNICITY = resolver(eth_accepted)

title_source = swift("TitleLevel.swift")
title_enum = block(title_source, r"enum TitleLevel: String, ProfileVocabulary, Comparable \{")
LEVEL = resolver(vocabulary(title_enum))
TITLE_LEVELS = {}
for level, values in re.findall(r"\.(\w+): \[([^\]]*)\]", title_source.split("titlesByLevel: [TitleLevel: [String]] = [")[1]
                                .split("private static let titleLevels")[0]):
    for value in re.findall(r'"([^"]*)"', values):
        TITLE_LEVELS[key(value)] = level
assert len(TITLE_LEVELS) > 100 and len(eth_cases) == 58, "Swift sources changed shape; update the parser"
GRADE_WORDS = re.findall(r'"([^"]*)"', re.search(r"gradeWords = \[([^\]]*)\]", title_source).group(1))


def level_of_title(text):
    k = key(drop_remark(clean(text)))
    if not k:
        return None
    if k in TITLE_LEVELS:
        return TITLE_LEVELS[k]
    if LEVEL(k):
        return LEVEL(k)
    for start in range(1, len(k)):
        suffix = k[start:]
        if suffix in TITLE_LEVELS:
            specialty = k[:start]
            return None if any(w in specialty for w in GRADE_WORDS) else TITLE_LEVELS[suffix]
    return None


# ---------------------------------------------------------------------------------------------- classifications

with open(os.path.join(RESOURCES, "gbt13745-level1.json"), encoding="utf-8") as f:
    discipline_file = json.load(f)
DISCIPLINE_BY_KEY = {}
for d in discipline_file["disciplines"]:
    DISCIPLINE_BY_KEY[key(d["code"])] = d["code"]
    DISCIPLINE_BY_KEY[key(d["name"])] = d["code"]
for code, aliases in (discipline_file.get("aliases") or {}).items():
    for alias in aliases:
        DISCIPLINE_BY_KEY.setdefault(key(alias), code)

with open(os.path.join(RESOURCES, "gbt4754-sections.json"), encoding="utf-8") as f:
    SECTIONS = json.load(f)["sections"]
INDUSTRY_BY_KEY = {}
for s in SECTIONS:
    INDUSTRY_BY_KEY[key(s["code"])] = s["code"]
    INDUSTRY_BY_KEY[key(s["name"])] = s["code"]


def discipline(text):
    k = key(text)
    if k in DISCIPLINE_BY_KEY:
        return DISCIPLINE_BY_KEY[k]
    m = re.match(r"^([0-9]{3})(.*)$", k)
    if m and DISCIPLINE_BY_KEY.get(m.group(1)) and DISCIPLINE_BY_KEY.get(m.group(2)) == DISCIPLINE_BY_KEY[m.group(1)]:
        return DISCIPLINE_BY_KEY[m.group(1)]
    return None


def industry(text):
    k = key(text)
    if not k:
        return None
    if k in INDUSTRY_BY_KEY:
        return INDUSTRY_BY_KEY[k]
    if k[0].isascii() and k[0].isalpha():
        letter = INDUSTRY_BY_KEY.get(k[0])
        rest = k[1:]
        if all(c.isascii() and c.isdigit() for c in rest):
            return letter
        return letter if letter and INDUSTRY_BY_KEY.get(rest) == letter else None
    if len(k) < 2:
        return None
    candidates = [s["code"] for s in SECTIONS if key(s["name"]).startswith(k)]
    return candidates[0] if len(candidates) == 1 else None


# ---------------------------------------------------------------------------------------------- identifiers

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
                50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}


def parse_id(text, today):
    """(normalized, birth date, sex) or an error string."""
    compact = "".join(c for c in fold(text) if not c.isspace() and c != "-").upper()
    if len(compact) != 18 or not compact[:17].isdigit() or not (compact[17].isdigit() or compact[17] == "X") \
            or not compact.isascii():
        return "id format"
    if not (compact[0] == "9" or int(compact[:2]) in ID_PROVINCES):
        return "id region"
    try:
        birth = datetime.date(int(compact[6:10]), int(compact[10:12]), int(compact[12:14]))
    except ValueError:
        return "id birth date"
    if birth.year < 1800 or birth > today:
        return "id birth date"
    total = sum(int(d) * w for d, w in zip(compact[:17], ID_WEIGHTS))
    if "10X98765432"[total % 11] != compact[17]:
        return "id checksum"
    return compact, birth, "male" if int(compact[16]) % 2 == 1 else "female"


def parse_phone(text):
    compact = "".join(c for c in fold(text) if not c.isspace() and c not in "-()")
    for prefix in ("+86", "0086", "86"):
        if compact.startswith(prefix) and len(compact) == 11 + len(prefix):
            compact = compact[len(prefix):]
            break
    if len(compact) == 11 and compact.isascii() and compact.isdigit() and compact[0] == "1" and compact[1] in "3456789":
        return compact
    return None


LOCAL_SYMBOLS = set("!#$%&'*+/=?^_`{|}~-.")


def valid_email(text):
    t = fold(text).strip()
    parts = t.split("@")
    if len(t.encode()) > 254 or len(parts) != 2:
        return False
    local, domain = parts
    if not (1 <= len(local.encode()) <= 64) or local[0] == "." or local[-1] == "." or ".." in local:
        return False
    if not all(c.isascii() and (c.isalnum() or c in LOCAL_SYMBOLS) for c in local):
        return False
    labels_ = domain.split(".")
    top = labels_[-1]
    if len(labels_) < 2 or len(top) < 2 or not all(c.isalnum() or c == "-" for c in top) or top.isdigit():
        return False
    return all(1 <= len(l.encode()) <= 63 and l[0] != "-" and l[-1] != "-"
               and all((c.isalnum() or c == "-") and not c.isspace() for c in l) for l in labels_)


# ---------------------------------------------------------------------------------------------- rows


def validate(row, today):
    """List of problems of one row (empty when the app would accept it)."""
    f = dict(zip(HEADER, row + [""] * (len(HEADER) - len(row))))
    problems = []
    name = clean(f["姓名"])
    if not name:
        problems.append("name empty")
    elif not 2 <= len(name) <= 30 or not all(c.isalpha() or c in " ·.-'" for c in name):
        problems.append("name invalid")

    id_result = parse_id(f["身份证号"], today) if clean(f["身份证号"]) else None
    if isinstance(id_result, str):
        problems.append(id_result)
        id_result = None

    sex = SEX(f["性别"]) if clean(f["性别"]) else (id_result[2] if id_result else None)
    if clean(f["性别"]) and sex is None:
        problems.append("sex unknown")
    if sex is None and not clean(f["性别"]) and not id_result:
        problems.append("sex empty")

    month = None
    text = clean(f["出生年月"])
    if text:
        m = re.fullmatch(r"(\d{4})-(\d{2})", text)  # the generator writes YYYY-MM only
        if not m or not 1 <= int(m.group(2)) <= 12:
            problems.append("birth month format")
        else:
            month = (int(m.group(1)), int(m.group(2)))
            age = today.year - month[0] - (1 if today.month < month[1] else 0)
            if month[0] < 1900 or month > (today.year, today.month) or age < 16:
                problems.append("birth month range")
                month = None
    elif id_result:
        month = (id_result[1].year, id_result[1].month)
    else:
        problems.append("birth month empty")
    if id_result:
        if month and month != (id_result[1].year, id_result[1].month):
            problems.append("id birth month mismatch")
        elif sex and sex != id_result[2]:
            problems.append("id sex mismatch")

    for column, resolve in (("民族", ETHNICITY), ("政治面貌", POLITICAL), ("学历", EDUCATION), ("学位", DEGREE)):
        if clean(f[column]) and resolve(f[column]) is None:
            problems.append(f"{column} unknown")

    title = clean(f["职称"])
    if len(title) > 30:
        problems.append("title length")
        title = ""
    inferred = level_of_title(title) if title else None
    if inferred == "none":
        title = ""
    level_text = clean(f["职称级别"])
    if not level_text:
        if title and inferred is None:
            problems.append("title level unknown title")
    else:
        level = LEVEL(level_text)
        if level is None:
            problems.append("title level unknown")
        elif inferred and inferred != level and title:
            problems.append(f"title level mismatch {level_text}/{title}")

    for column, maximum in (("工作单位", 100), ("省", 30), ("市", 30), ("县/区", 30), ("研究方向", 200)):
        if len(clean(f[column])) > maximum:
            problems.append(f"{column} length")
    if not clean(f["省"]) and (clean(f["市"]) or clean(f["县/区"])):
        problems.append("province empty")
    if clean(f["学科"]) and discipline(f["学科"]) is None:
        problems.append("discipline unknown")
    if clean(f["行业"]) and industry(f["行业"]) is None:
        problems.append("industry unknown")
    if parse_phone(f["手机"]) is None:
        problems.append("phone")
    if clean(f["邮箱"]) and not valid_email(f["邮箱"]):
        problems.append("email")
    return problems


def read(path):
    if path.lower().endswith(".xlsx"):
        from openpyxl import load_workbook
        workbook = load_workbook(path, read_only=True)
        sheet = workbook.worksheets[0]
        rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
        return rows
    with open(path, "rb") as f:
        data = f.read()
    if not data.startswith(b"\xef\xbb\xbf"):
        print(f"{path}: no UTF-8 BOM", file=sys.stderr)
    return list(csv.reader(data.decode("utf-8-sig").splitlines()))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="+")
    parser.add_argument("--expect-invalid", type=int, default=0)
    args = parser.parse_args()
    today = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date()
    phones, ids = {}, {}
    invalid = duplicates = total = 0
    for path in args.files:
        rows = read(path)
        if rows[0] != HEADER:
            print(f"{path}: header differs: {rows[0]}")
            sys.exit(1)
        for number, row in enumerate(rows[1:], start=2):
            total += 1
            problems = validate(row, today)
            phone = parse_phone(row[16])
            if phone:
                if phone in phones:
                    problems.append(f"phone duplicate of {phones[phone]}")
                    duplicates += 1
                phones.setdefault(phone, f"{path}:{number}")
            parsed = parse_id(row[18], today) if row[18].strip() else None
            if isinstance(parsed, tuple):
                if parsed[0] in ids:
                    problems.append(f"id duplicate of {ids[parsed[0]]}")
                    duplicates += 1
                ids.setdefault(parsed[0], f"{path}:{number}")
            if problems:
                invalid += 1
                if invalid <= 20 or args.expect_invalid:
                    print(f"{path}: row {number}: {'; '.join(problems)}")
    print(f"checked {total} rows in {len(args.files)} file(s): {invalid} invalid, {duplicates} duplicates, "
          f"{len(phones)} distinct phones, {len(ids)} distinct ID numbers")
    sys.exit(0 if invalid == args.expect_invalid else 1)


if __name__ == "__main__":
    main()
