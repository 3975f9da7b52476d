#!/usr/bin/env python3
"""Synthetic 科技工作者 for the Members import and list benchmarks.

    python3 bench/members/generate_people.py --count 100000 --out /tmp/people.csv [--seed 7]
    python3 bench/members/generate_people.py --count 90000 --offset 10000 --out /tmp/more.xlsx

Writes the import template's 19 columns (header exactly as PeopleImport.templateHeader). The format
follows the extension: .csv is UTF-8 with BOM and CRLF, .xlsx is written by openpyxl in write_only mode.

Every row passes PersonProfileValidator (Sources/KexieKit/People/PersonProfileValidator.swift):
canonical vocabulary labels (性别, 民族, 政治面貌, 学历, 学位, 职称级别), a 职称 that TitleLevel knows at the
given 职称级别, GB/T 13745 discipline names or codes, GB/T 4754 section letters or names, 11-digit mobile
numbers, ASCII e-mail addresses, and 18-character 身份证号 with a GB 11643 check character whose birth
date and sex digit agree with 出生年月 and 性别. The fictional demo province 云海省 is used for 省/市/县;
the validator does not check region names (free text up to 30 characters).

Uniqueness: 手机 and 身份证号 are bijections of the global row index (--offset + row) for a given --seed,
so files generated with the same seed and non-overlapping offset ranges never share a phone or an ID
(up to 560,000 rows). Files made with different seeds may collide; extend a data set with --offset.

--errors N corrupts N rows (wrong ID check character, bad phone, missing name, 出生年月 disagreeing with
the ID) and prints their spreadsheet row numbers to stderr; all other rows are the same as without it.
--stats prints a few counts (rows with 橡胶, most common names, age bands) to stderr.
"""

import argparse
import bisect
import csv
import datetime
import os
import random
import sys
import time

HEADER = [
    "姓名", "性别", "出生年月", "民族", "政治面貌", "学历", "学位", "职称", "职称级别", "工作单位",
    "省", "市", "县/区", "学科", "行业", "研究方向", "手机", "邮箱", "身份证号",
]

# ----------------------------------------------------------------------------------------------
# Helpers


class Weighted:
    """Weighted choice with precomputed cumulative weights (random.choices rebuilds them per call)."""

    def __init__(self, pairs):
        self.items = [item for item, _ in pairs]
        self.cumulative = []
        total = 0.0
        for _, weight in pairs:
            total += weight
            self.cumulative.append(total)
        self.total = total

    def pick(self, rng):
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


def china_today():
    """Day.today() in the app is the date in China (UTC+8, no daylight saving)."""
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date()


# ----------------------------------------------------------------------------------------------
# Names: surnames weighted roughly by national frequency, with Hainan's 符, 邢, 云, 吉, 羊 boosted.

SURNAMES = Weighted([
    (("王", "wang"), 7.1), (("李", "li"), 7.0), (("张", "zhang"), 6.7), (("刘", "liu"), 5.4),
    (("陈", "chen"), 5.0), (("杨", "yang"), 3.1), (("黄", "huang"), 2.4), (("赵", "zhao"), 2.0),
    (("吴", "wu"), 2.0), (("周", "zhou"), 1.9), (("林", "lin"), 1.6), (("符", "fu"), 1.3),
    (("徐", "xu"), 1.3), (("孙", "sun"), 1.2), (("马", "ma"), 1.2), (("朱", "zhu"), 1.1),
    (("胡", "hu"), 1.1), (("郭", "guo"), 1.1), (("何", "he"), 1.0), (("高", "gao"), 0.9),
    (("罗", "luo"), 0.9), (("郑", "zheng"), 0.8), (("梁", "liang"), 0.8), (("谢", "xie"), 0.7),
    (("宋", "song"), 0.6), (("唐", "tang"), 0.6), (("许", "xu"), 0.6), (("韩", "han"), 0.6),
    (("冯", "feng"), 0.5), (("邓", "deng"), 0.5), (("曹", "cao"), 0.5), (("彭", "peng"), 0.5),
    (("曾", "zeng"), 0.5), (("肖", "xiao"), 0.5), (("邢", "xing"), 0.4), (("田", "tian"), 0.4),
    (("董", "dong"), 0.4), (("袁", "yuan"), 0.4), (("潘", "pan"), 0.4), (("于", "yu"), 0.4),
    (("蒋", "jiang"), 0.4), (("蔡", "cai"), 0.4), (("余", "yu"), 0.4), (("杜", "du"), 0.4),
    (("叶", "ye"), 0.4), (("程", "cheng"), 0.4), (("苏", "su"), 0.3), (("魏", "wei"), 0.3),
    (("吕", "lv"), 0.3), (("丁", "ding"), 0.3), (("任", "ren"), 0.3), (("沈", "shen"), 0.3),
    (("姚", "yao"), 0.3), (("卢", "lu"), 0.3), (("姜", "jiang"), 0.3), (("崔", "cui"), 0.3),
    (("钟", "zhong"), 0.3), (("谭", "tan"), 0.3), (("陆", "lu"), 0.3), (("汪", "wang"), 0.3),
    (("范", "fan"), 0.3), (("金", "jin"), 0.3), (("石", "shi"), 0.2), (("廖", "liao"), 0.2),
    (("贾", "jia"), 0.2), (("夏", "xia"), 0.2), (("韦", "wei"), 0.2), (("黎", "li"), 0.2),
    (("云", "yun"), 0.15), (("吉", "ji"), 0.12), (("羊", "yang"), 0.1), (("莫", "mo"), 0.15),
    (("欧阳", "ouyang"), 0.05), (("司马", "sima"), 0.01), (("诸葛", "zhuge"), 0.01),
    (("上官", "shangguan"), 0.01),
])

MALE_GIVEN = Weighted([
    (("伟", "wei"), 5), (("强", "qiang"), 3), (("磊", "lei"), 3), (("军", "jun"), 3), (("勇", "yong"), 3),
    (("杰", "jie"), 3), (("涛", "tao"), 3), (("明", "ming"), 3), (("超", "chao"), 2), (("刚", "gang"), 2),
    (("平", "ping"), 2), (("辉", "hui"), 2), (("鹏", "peng"), 2), (("华", "hua"), 2), (("飞", "fei"), 2),
    (("鑫", "xin"), 2), (("波", "bo"), 2), (("斌", "bin"), 2), (("宇", "yu"), 2), (("浩", "hao"), 2),
    (("凯", "kai"), 2), (("健", "jian"), 2), (("俊", "jun"), 2), (("帆", "fan"), 1), (("帅", "shuai"), 1),
    (("旭", "xu"), 1), (("宁", "ning"), 1), (("龙", "long"), 1), (("林", "lin"), 1), (("峰", "feng"), 2),
    (("建", "jian"), 2), (("国", "guo"), 2), (("志", "zhi"), 2), (("文", "wen"), 2), (("海", "hai"), 2),
    (("东", "dong"), 2), (("晨", "chen"), 1), (("博", "bo"), 1), (("子", "zi"), 1), (("轩", "xuan"), 1),
    (("然", "ran"), 1), (("泽", "ze"), 1), (("宏", "hong"), 1), (("亮", "liang"), 1), (("成", "cheng"), 1),
    (("新", "xin"), 1), (("春", "chun"), 1), (("永", "yong"), 1), (("庆", "qing"), 1), (("德", "de"), 1),
    (("彬", "bin"), 1), (("振", "zhen"), 1), (("世", "shi"), 1), (("家", "jia"), 1), (("嘉", "jia"), 1),
    (("睿", "rui"), 1), (("天", "tian"), 1), (("一", "yi"), 1), (("航", "hang"), 1), (("哲", "zhe"), 1),
    (("瑞", "rui"), 1), (("铭", "ming"), 1), (("晓", "xiao"), 1), (("立", "li"), 1), (("学", "xue"), 1),
    (("思", "si"), 1), (("源", "yuan"), 1), (("昊", "hao"), 1), (("毅", "yi"), 1), (("锋", "feng"), 1),
    (("松", "song"), 1), (("荣", "rong"), 1), (("光", "guang"), 1), (("江", "jiang"), 1), (("山", "shan"), 1),
    (("云", "yun"), 1), (("兴", "xing"), 1), (("坤", "kun"), 1), (("金", "jin"), 1), (("琼", "qiong"), 1),
])

FEMALE_GIVEN = Weighted([
    (("芳", "fang"), 5), (("娜", "na"), 3), (("敏", "min"), 3), (("静", "jing"), 3), (("丽", "li"), 3),
    (("艳", "yan"), 3), (("娟", "juan"), 2), (("霞", "xia"), 2), (("秀", "xiu"), 2), (("燕", "yan"), 2),
    (("玲", "ling"), 2), (("桂", "gui"), 1), (("丹", "dan"), 2), (("萍", "ping"), 2), (("红", "hong"), 2),
    (("婷", "ting"), 2), (("雪", "xue"), 2), (("琳", "lin"), 2), (("晶", "jing"), 2), (("倩", "qian"), 2),
    (("颖", "ying"), 2), (("慧", "hui"), 2), (("佳", "jia"), 2), (("欣", "xin"), 2), (("雅", "ya"), 1),
    (("怡", "yi"), 1), (("梅", "mei"), 2), (("莉", "li"), 1), (("琴", "qin"), 1), (("云", "yun"), 1),
    (("兰", "lan"), 1), (("凤", "feng"), 1), (("洁", "jie"), 1), (("蕾", "lei"), 1), (("薇", "wei"), 1),
    (("璐", "lu"), 1), (("瑶", "yao"), 1), (("悦", "yue"), 1), (("诗", "shi"), 1), (("梦", "meng"), 1),
    (("晓", "xiao"), 1), (("思", "si"), 1), (("雨", "yu"), 1), (("文", "wen"), 1), (("珊", "shan"), 1),
    (("露", "lu"), 1), (("月", "yue"), 1), (("蓉", "rong"), 1), (("英", "ying"), 1), (("华", "hua"), 1),
    (("美", "mei"), 1), (("淑", "shu"), 1), (("珍", "zhen"), 1), (("翠", "cui"), 1), (("春", "chun"), 1),
    (("亚", "ya"), 1), (("宁", "ning"), 1), (("彤", "tong"), 1), (("馨", "xin"), 1), (("可", "ke"), 1),
    (("一", "yi"), 1), (("子", "zi"), 1), (("若", "ruo"), 1), (("嘉", "jia"), 1), (("琪", "qi"), 1),
    (("琼", "qiong"), 1),
])

# 维吾尔族 names are written with the middle dot the validator accepts (given name · father's name).
UYGHUR_MALE = [("买买提", "maimaiti"), ("艾力", "aili"), ("阿不都", "abudu"), ("吐尔逊", "tuerxun"),
               ("艾买提", "aimaiti"), ("依明", "yiming"), ("努尔", "nuer"), ("热合曼", "rehemann")]
UYGHUR_FEMALE = [("古丽", "guli"), ("阿依古丽", "ayiguli"), ("热依拉", "reyila"), ("米娜", "mina"),
                 ("帕提古丽", "patiguli"), ("迪丽娜尔", "dilinaer")]
UYGHUR_FATHER = [("艾则孜", "aizezi"), ("吾守尔", "wushouer"), ("卡德尔", "kadeer"), ("斯拉木", "silamu"),
                 ("阿木提", "amuti"), ("托合提", "tuoheti")]

# ----------------------------------------------------------------------------------------------
# Vocabularies (labels exactly as in ProfileVocabulary.swift / Ethnicity.swift / TitleLevel.swift)

ETHNICITY = Weighted([
    ("汉族", 81.5), ("黎族", 13.0), ("苗族", 1.2), ("壮族", 0.8), ("回族", 0.5), ("土家族", 0.3),
    ("满族", 0.3), ("维吾尔族", 0.2), ("蒙古族", 0.2), ("彝族", 0.1), ("侗族", 0.1), ("瑶族", 0.1),
    ("布依族", 0.1), ("白族", 0.05), ("朝鲜族", 0.05), ("藏族", 0.05), ("畲族", 0.03), ("京族", 0.02),
    ("", 1.5),
])

POLITICAL_ADULT = Weighted([
    ("中共党员", 45), ("群众", 30), ("九三学社社员", 3), ("民盟盟员", 2), ("农工党党员", 2),
    ("民进会员", 1.2), ("致公党党员", 1), ("民革会员", 0.5), ("民建会员", 0.5), ("台盟盟员", 0.1),
    ("无党派人士", 2), ("中共预备党员", 1), ("共青团员", 2), ("", 3),
])
POLITICAL_YOUNG = Weighted([  # under 28
    ("中共党员", 30), ("群众", 25), ("共青团员", 35), ("中共预备党员", 5), ("九三学社社员", 0.5), ("", 3),
])

LEVEL_LABEL = {"senior": "正高级", "associate": "副高级", "intermediate": "中级", "junior": "初级", "none": "无"}

LEVEL_BY_AGE = [  # (upper age bound inclusive, distribution)
    (27, Weighted([("junior", 58), ("none", 30), ("intermediate", 12)])),
    (34, Weighted([("intermediate", 55), ("junior", 24), ("associate", 15), ("none", 5), ("senior", 1)])),
    (44, Weighted([("associate", 45), ("intermediate", 35), ("senior", 12), ("junior", 5), ("none", 3)])),
    (54, Weighted([("senior", 30), ("associate", 45), ("intermediate", 20), ("junior", 1), ("none", 4)])),
    (200, Weighted([("senior", 40), ("associate", 40), ("intermediate", 15), ("none", 5)])),
]

# Title series: names per level, all of them in TitleLevel.titlesByLevel (or with a bracketed remark,
# which TitleLevel.level(ofTitle:) drops).
SERIES = {
    "teacher_univ": {"senior": ["教授"], "associate": ["副教授"], "intermediate": ["讲师"], "junior": ["助教"]},
    "research": {"senior": ["研究员"], "associate": ["副研究员"], "intermediate": ["助理研究员"],
                 "junior": ["研究实习员"]},
    "lab": {"senior": ["正高级实验师"], "associate": ["高级实验师"], "intermediate": ["实验师"],
            "junior": ["助理实验师", "实验员"]},
    "engineer": {"senior": ["正高级工程师", "教授级高级工程师"], "associate": ["高级工程师", "高级工程师（电气）"],
                 "intermediate": ["工程师", "电气工程师", "软件工程师"], "junior": ["助理工程师", "技术员"]},
    "engineer_fish": {"senior": ["正高级工程师（水产）"], "associate": ["高级工程师（水产）"],
                      "intermediate": ["工程师（水产）"], "junior": ["助理工程师（水产）", "技术员"]},
    "agronomist": {"senior": ["农业技术推广研究员", "正高级农艺师"], "associate": ["高级农艺师"],
                   "intermediate": ["农艺师"], "junior": ["助理农艺师", "农业技术员"]},
    "animal": {"senior": ["正高级畜牧师", "正高级兽医师"], "associate": ["高级畜牧师", "高级兽医师"],
               "intermediate": ["畜牧师", "兽医师"], "junior": ["助理畜牧师", "助理兽医师"]},
    "doctor": {"senior": ["主任医师"], "associate": ["副主任医师"], "intermediate": ["主治医师"], "junior": ["医师", "医士"]},
    "tcm": {"senior": ["主任中医师"], "associate": ["副主任中医师"], "intermediate": ["主治中医师"], "junior": ["中医师"]},
    "nurse": {"senior": ["主任护师"], "associate": ["副主任护师"], "intermediate": ["主管护师"], "junior": ["护师", "护士"]},
    "pharmacist": {"senior": ["主任药师"], "associate": ["副主任药师"], "intermediate": ["主管药师"], "junior": ["药师"]},
    "technician": {"senior": ["主任技师"], "associate": ["副主任技师"], "intermediate": ["主管技师"], "junior": ["技师"]},
    "economist": {"senior": ["正高级经济师"], "associate": ["高级经济师"], "intermediate": ["经济师"], "junior": ["助理经济师"]},
    "accountant": {"senior": ["正高级会计师"], "associate": ["高级会计师"], "intermediate": ["会计师"], "junior": ["助理会计师"]},
    "school": {"senior": ["正高级教师"], "associate": ["高级教师"], "intermediate": ["一级教师"], "junior": ["二级教师", "三级教师"]},
    "editor": {"senior": ["编审"], "associate": ["副编审"], "intermediate": ["编辑"], "junior": ["助理编辑"]},
    "librarian": {"senior": ["研究馆员"], "associate": ["副研究馆员"], "intermediate": ["馆员"], "junior": ["助理馆员"]},
}

EDUCATION_BY_KIND = {
    "university": Weighted([("博士研究生", 52), ("硕士研究生", 33), ("大学本科", 15)]),
    "institute": Weighted([("博士研究生", 40), ("硕士研究生", 38), ("大学本科", 20), ("大学专科", 2)]),
    "hospital": Weighted([("博士研究生", 15), ("硕士研究生", 38), ("大学本科", 40), ("大学专科", 6), ("中专", 1)]),
    "enterprise": Weighted([("博士研究生", 5), ("硕士研究生", 25), ("大学本科", 52), ("大学专科", 15), ("中专", 3)]),
    "station": Weighted([("硕士研究生", 10), ("大学本科", 50), ("大学专科", 28), ("中专", 10), ("高中及以下", 2)]),
    "school": Weighted([("硕士研究生", 30), ("大学本科", 65), ("大学专科", 5)]),
}
DEGREE_FOR = {"博士研究生": "博士", "硕士研究生": "硕士"}

# 学科 codes (GB/T 13745 first level) and names as in gbt13745-level1.json.
DISCIPLINE_NAMES = {
    "110": "数学", "120": "信息科学与系统科学", "413": "信息与系统科学相关工程与技术", "140": "物理学", "150": "化学", "170": "地球科学",
    "180": "生物学", "210": "农学", "220": "林学", "230": "畜牧、兽医科学", "240": "水产学",
    "310": "基础医学", "320": "临床医学", "330": "预防医学与公共卫生学", "350": "药学", "360": "中医学与中药学",
    "420": "测绘科学技术", "430": "材料科学", "460": "机械工程", "470": "动力与电气工程", "480": "能源科学技术",
    "510": "电子与通信技术", "520": "计算机科学技术", "530": "化学工程", "550": "食品科学技术",
    "560": "土木建筑工程", "570": "水利工程", "580": "交通运输工程", "610": "环境科学技术及资源科学技术",
    "620": "安全科学技术", "630": "管理学", "790": "经济学", "820": "法学", "860": "新闻学与传播学",
    "870": "图书馆、情报与文献学", "880": "教育学", "910": "统计学",
}
# GB/T 4754 sections, as in gbt4754-sections.json.
INDUSTRY_NAMES = {
    "A": "农、林、牧、渔业", "C": "制造业", "D": "电力、热力、燃气及水生产和供应业", "E": "建筑业",
    "G": "交通运输、仓储和邮政业", "I": "信息传输、软件和信息技术服务业", "J": "金融业",
    "M": "科学研究和技术服务业", "N": "水利、环境和公共设施管理业", "P": "教育", "Q": "卫生和社会工作",
    "R": "文化、体育和娱乐业", "S": "公共管理、社会保障和社会组织",
}

# ----------------------------------------------------------------------------------------------
# Research domains: disciplines, title series for non-teaching staff, and the technical terms that
# make up 研究方向. Terms with 橡胶 live only in the "rubber" domain, which ~2% of rows get.

DOMAINS = {
    "agri": (["210", "210", "210", "180"], "agronomist", [
        "热带作物栽培", "热带农业", "热带果树育种", "芒果栽培", "香蕉种质资源", "荔枝龙眼栽培", "菠萝品质调控",
        "椰子种质创新", "槟榔黄化病防控", "胡椒栽培", "咖啡加工", "水稻育种", "南繁育种", "杂交水稻制种",
        "冬季瓜菜生产", "热带蔬菜育种", "土壤肥料", "测土配方施肥", "植物保护", "病虫害绿色防控",
        "草地贪夜蛾防控", "农药残留检测", "设施农业", "智慧农业", "农业物联网", "节水灌溉", "热带农业资源利用",
        "热带农业机械化", "作物遗传育种", "分子标记辅助育种", "基因编辑育种", "种质资源保存", "植物病理学",
        "农业昆虫学", "生物农药", "农产品质量安全", "热带花卉", "茶树栽培", "甘蔗育种", "木薯栽培", "油茶栽培",
        "南药种植", "农业人工智能", "热带农业生态", "数字农业"]),
    "forestry": (["220", "220", "180", "610"], "engineer", [
        "热带雨林保护", "红树林生态修复", "森林培育", "林木遗传育种", "森林病虫害防治", "沉香结香技术",
        "花梨木培育", "林下经济", "森林碳汇", "生物多样性保护", "国家公园管理", "木材加工", "竹藤资源利用",
        "热带森林生态", "野生动物保护", "林业遥感"]),
    "rubber": (["210", "220", "530", "430"], "agronomist", [
        "天然橡胶加工", "橡胶树育种", "橡胶树栽培", "橡胶树割胶技术", "橡胶树白粉病防控", "橡胶树死皮防治",
        "天然橡胶改性", "橡胶材料", "橡胶制品工艺", "天然橡胶产业经济", "橡胶林间作", "橡胶园土壤管理",
        "胶乳保鲜", "橡胶木加工", "橡胶树种质资源"]),
    "livestock": (["230"], "animal", [
        "文昌鸡养殖", "黑山羊育种", "畜禽疫病防控", "动物营养与饲料", "兽医公共卫生", "非洲猪瘟防控",
        "畜禽粪污资源化", "奶牛养殖", "动物遗传育种", "兽药研发", "五指山猪保种", "蜂产业"]),
    "ocean": (["240", "170", "610", "180"], "engineer_fish", [
        "海洋", "海洋生态", "海洋生态修复", "海洋牧场", "深海养殖", "深海探测", "海洋资源开发", "海洋环境监测",
        "海洋生物技术", "海洋药物", "珊瑚礁保护", "海草床修复", "海水养殖", "石斑鱼养殖", "对虾育种",
        "水产病害防治", "渔业资源评估", "海洋遥感", "海洋气象", "海岸带管理", "海洋工程", "海洋工程装备",
        "海洋信息技术", "海洋碳汇", "物理海洋学", "海洋地质", "深海生物基因资源", "南海渔业"]),
    "geo": (["170", "610", "420", "570"], "engineer", [
        "地质灾害防治", "矿产勘查", "水文地质", "遥感应用", "地理信息系统", "测绘工程", "大气污染防治",
        "水污染治理", "土壤污染修复", "固体废物资源化", "生态环境监测", "环境影响评价", "碳达峰碳中和",
        "气候变化", "气象灾害预警", "台风预报", "热带气象", "水资源管理", "生态保护红线"]),
    "medicine": (["320", "320", "320", "310", "330", "350"], "doctor", [
        "心血管内科", "肿瘤免疫治疗", "热带病防治", "传染病学", "重症医学", "神经外科", "骨科", "儿科学",
        "妇产科学", "眼科学", "口腔医学", "医学影像", "临床检验", "病理学", "康复医学", "全科医学", "公共卫生",
        "疾病预防控制", "流行病学", "营养与食品卫生", "药物化学", "药理学", "临床药学", "人工智能辅助诊断",
        "远程医疗", "医院管理", "精准医学", "基因检测", "蛇伤救治", "登革热防控", "疟疾防控", "慢病管理",
        "内分泌与代谢病", "呼吸与危重症医学", "消化内科", "麻醉学", "急诊医学"]),
    "nursing": (["320"], "nurse", [
        "护理学", "老年护理", "重症护理", "社区护理", "护理管理", "儿科护理", "手术室护理", "伤口造口护理"]),
    "tcm": (["360"], "tcm", [
        "中药资源", "黎药研究", "南药开发", "中医内科", "针灸推拿", "中西医结合", "中医康复", "中药炮制",
        "中医治未病", "黎族医药"]),
    "computing": (["520", "520", "510", "120", "413"], "engineer", [
        "人工智能", "机器学习", "深度学习", "计算机视觉", "自然语言处理", "知识图谱", "大数据分析", "云计算",
        "边缘计算", "物联网", "区块链", "网络安全", "数据安全", "软件工程", "嵌入式系统", "5G通信", "卫星通信",
        "北斗导航应用", "集成电路设计", "数字孪生", "人工智能安全", "人工智能伦理", "智慧城市", "智慧旅游",
        "数字政府", "信息系统集成", "数据库技术", "高性能计算", "机器人技术", "自动驾驶", "遥感图像处理",
        "语音识别", "推荐系统", "智能控制", "大模型应用", "隐私计算", "工业互联网"]),
    "engineering": (["460", "470", "480", "430", "530", "560", "580", "620"], "engineer", [
        "机械设计制造", "智能装备", "数控技术", "新能源汽车", "电力系统自动化", "智能电网", "风力发电",
        "光伏发电", "海上风电", "储能技术", "氢能", "核电运行", "新材料", "高分子材料", "复合材料", "纳米材料",
        "石油化工", "精细化工", "天然气化工", "催化剂", "建筑结构", "装配式建筑", "岩土工程", "桥梁工程",
        "道路工程", "港口航道工程", "水利水电工程", "防洪减灾", "给排水工程", "城乡规划", "热带建筑节能",
        "安全生产", "特种设备检验", "计量测试", "标准化", "质量管理", "船舶工程", "航天发射技术"]),
    "food": (["550", "550", "180"], "engineer", [
        "食品加工", "食品安全检测", "热带水果加工", "椰子食品加工", "发酵工程", "冷链物流", "功能食品",
        "农产品保鲜", "咖啡精深加工", "茶叶加工"]),
    "social": (["630", "790", "860", "870", "910", "820"], "economist", [
        "科技管理", "科技政策", "科技评估", "科学普及", "区域经济", "自由贸易港研究", "旅游管理", "农村经济",
        "乡村振兴", "产业经济", "财务管理", "知识产权", "技术转移", "创新创业", "科技传播", "科技情报",
        "统计分析", "人力资源管理", "国际贸易", "数字经济"]),
    "education": (["880", "110", "140", "150", "180"], "school", [
        "中学数学教学", "物理教学", "化学教学", "生物教学", "信息技术教育", "青少年科技创新", "科学教育",
        "人工智能教育", "STEM教育", "劳动教育", "职业教育", "高等教育管理"]),
}
# Industry per employer kind (letters; written as letter or name).
INDUSTRY_BY_KIND = {
    "university": Weighted([("P", 85), ("M", 15)]),
    "institute": Weighted([("M", 85), ("A", 8), ("N", 7)]),
    "hospital": Weighted([("Q", 100)]),
    "enterprise": None,  # from the company's own line of business
    "station": Weighted([("A", 80), ("S", 20)]),
    "school": Weighted([("P", 100)]),
}

# ----------------------------------------------------------------------------------------------
# Employers (~300). Each: (name, kind, city or None for the provincial capital 东港市, county or None,
# domain weights, e-mail domain or None, title series for teaching/research staff, weight).

CITIES = [("东港市", ["青石县", "白沙县"]), ("西林市", ["松溪县", "梅岭县"]),
          ("南川市", ["临江县", "石门县"]), ("北原市", ["丰泽县", "安平县"])]
CAPITAL = "东港市"
COUNTIES = [(city, county) for city, counties in CITIES for county in counties]


def build_employers():
    employers = []

    def add(name, kind, city, county, domains, mail, series, weight):
        employers.append({"name": name, "kind": kind, "city": city, "county": county,
                          "domains": Weighted(list(domains.items())), "mail": mail, "series": series,
                          "weight": weight})

    # Universities and their schools (二级学院), weights ~ staff size.
    universities = [
        ("云海大学", "yhu.edu.cn", 30, {
            "热带农林学院": {"agri": 6, "forestry": 3, "livestock": 1, "rubber": 0},
            "海洋学院": {"ocean": 8, "geo": 2}, "计算机科学与技术学院": {"computing": 10},
            "信息与通信工程学院": {"computing": 8, "engineering": 2}, "机电工程学院": {"engineering": 10},
            "材料科学与工程学院": {"engineering": 8, "rubber": 0}, "化学工程与技术学院": {"engineering": 8},
            "土木建筑工程学院": {"engineering": 10}, "生命科学学院": {"agri": 3, "ocean": 3, "food": 2},
            "食品科学与工程学院": {"food": 10}, "生态与环境学院": {"geo": 8, "forestry": 2},
            "管理学院": {"social": 10}, "经济学院": {"social": 10}, "医学院": {"medicine": 8, "nursing": 2},
            "图书馆": {"social": 10},
        }),
        ("云海师范大学", "yhnu.edu.cn", 14, {
            "数学与统计学院": {"education": 4, "social": 2, "computing": 2},
            "物理与电子工程学院": {"education": 3, "computing": 4, "engineering": 3},
            "化学与化工学院": {"education": 3, "engineering": 5}, "生命科学学院": {"agri": 3, "education": 3, "ocean": 2},
            "教育学院": {"education": 10}, "地理与环境科学学院": {"geo": 10},
            "信息科学技术学院": {"computing": 10}, "旅游学院": {"social": 10},
        }),
        ("云海医科大学", "yhmu.edu.cn", 12, {
            "基础医学与生命科学学院": {"medicine": 10}, "公共卫生学院": {"medicine": 10},
            "药学院": {"medicine": 6, "tcm": 4}, "护理学院": {"nursing": 10}, "热带医学院": {"medicine": 10},
            "中医学院": {"tcm": 10},
        }),
        ("云海理工学院", "yhit.edu.cn", 8, {
            "智能制造学院": {"engineering": 10}, "人工智能学院": {"computing": 10}, "能源与电气学院": {"engineering": 10},
            "海洋工程学院": {"ocean": 6, "engineering": 4},
        }),
        ("云海热带海洋学院", "yhtou.edu.cn", 7, {
            "海洋科学技术学院": {"ocean": 10}, "水产与生命学院": {"ocean": 8, "agri": 2},
            "海洋信息工程学院": {"computing": 6, "ocean": 4}, "民族学院": {"social": 10},
        }),
    ]
    for uni, mail, weight, schools in universities:
        total = sum(sum(d.values()) for d in schools.values())
        for school, domains in schools.items():
            domains = {k: v for k, v in domains.items() if v > 0}
            add(uni + school, "university", CAPITAL, None, domains, mail, "teacher_univ",
                weight * sum(domains.values()) / total)
        add(uni, "university", CAPITAL, None,
            {"computing": 2, "engineering": 2, "agri": 2, "medicine": 1, "social": 2, "ocean": 1},
            mail, "teacher_univ", weight * 0.5)
    colleges = [
        ("东港学院", "东港市", "dgu.edu.cn"), ("西林学院", "西林市", "xlu.edu.cn"), ("南川学院", "南川市", "ncu.edu.cn"),
        ("北原师范学院", "北原市", "byttc.edu.cn"), ("云海农业职业技术学院", "南川市", "yhavc.edu.cn"),
        ("云海经贸职业学院", CAPITAL, "yhetc.edu.cn"), ("云海科技职业大学", CAPITAL, "yhstu.edu.cn"),
        ("云海软件职业技术学院", "西林市", "yhsvc.edu.cn"), ("云海外国语职业学院", "北原市", "yhflc.edu.cn"),
        ("云海政法职业学院", CAPITAL, "yhplc.edu.cn"), ("云海卫生健康职业学院", CAPITAL, "yhhvc.edu.cn"),
        ("云海交通职业技术学院", "东港市", "yhtvc.edu.cn"), ("云海工商职业学院", "西林市", "yhbvc.edu.cn"),
        ("云海体育职业技术学院", CAPITAL, "yhsptc.edu.cn"), ("云海开放大学", CAPITAL, "yhou.edu.cn"),
    ]
    college_domains = [
        {"computing": 3, "engineering": 3, "social": 3, "education": 1},
        {"agri": 5, "livestock": 2, "food": 2, "social": 1},
        {"medicine": 4, "nursing": 4, "tcm": 2},
    ]
    for index, (name, city, mail) in enumerate(colleges):
        domains = college_domains[2] if "卫生" in name else college_domains[1] if "农业" in name else college_domains[0]
        add(name, "university", city, None, domains, mail, "teacher_univ", 2.5)

    # Research institutes.
    academies = [
        ("云海省农业科学院", "yhaas.cn", [
            ("粮食作物研究所", {"agri": 10}), ("热带果树研究所", {"agri": 10}), ("蔬菜研究所", {"agri": 10}),
            ("植物保护研究所", {"agri": 10}), ("农业环境与土壤研究所", {"agri": 6, "geo": 4}),
            ("畜牧兽医研究所", {"livestock": 10}), ("热带园艺研究所", {"agri": 10}),
            ("农产品加工设计研究所", {"food": 10}), ("农业经济与信息研究所", {"social": 5, "computing": 5}),
            ("南繁育种研究中心", {"agri": 10}),
        ]),
        ("云海省热带作物科学研究院", "yhtcs.cn", [
            ("热带作物品种资源研究所", {"agri": 10}), ("椰子研究所", {"agri": 8, "food": 2}),
            ("香料饮料研究所", {"agri": 6, "food": 4}), ("环境与植物保护研究所", {"agri": 7, "geo": 3}),
            ("热带生物技术研究所", {"agri": 10}), ("农产品加工研究所", {"food": 10}),
            ("分析测试中心", {"food": 5, "agri": 5}), ("科技信息研究所", {"social": 6, "computing": 4}),
        ]),
        ("云海省海洋与渔业科学院", "yhofs.cn", [
            ("海洋生态研究所", {"ocean": 10}), ("水产养殖研究所", {"ocean": 10}), ("渔业资源研究所", {"ocean": 10}),
            ("海洋环境监测中心", {"ocean": 7, "geo": 3}),
        ]),
        ("云海省林业科学研究院", "yhforestry.cn", [
            ("热带林业研究所", {"forestry": 10}), ("红树林研究所", {"forestry": 10}),
            ("野生动植物保护研究所", {"forestry": 10}),
        ]),
        ("云海省医学科学院", "yhams.cn", [
            ("热带病研究所", {"medicine": 10}), ("临床医学研究所", {"medicine": 10}),
        ]),
    ]
    for academy, mail, institutes in academies:
        add(academy, "institute", CAPITAL, None, {k: 1 for k in sorted(set().union(*[d for _, d in institutes]))},
            mail, "research", 3)
        for institute, domains in institutes:
            add(academy + institute, "institute", CAPITAL, None, domains, mail, "research", 2.5)
    standalone_institutes = [
        ("云海省科学技术信息研究所", {"social": 6, "computing": 4}, "yhsti.cn"),
        ("云海省地质调查院", {"geo": 10}, "yhgs.cn"),
        ("云海省气象科学研究所", {"geo": 10}, "yhmeteo.cn"),
        ("云海省环境科学研究院", {"geo": 10}, "yhes.cn"),
        ("云海省生态环境监测中心", {"geo": 10}, "yhemc.cn"),
        ("云海省水利水电勘测设计研究院", {"engineering": 6, "geo": 4}, "yhwrd.cn"),
        ("云海省建筑设计研究院", {"engineering": 10}, "yhadri.cn"),
        ("云海省交通规划勘察设计院", {"engineering": 10}, "yhtpd.cn"),
        ("云海省计量测试研究院", {"engineering": 10}, "yhmti.cn"),
        ("云海省标准化研究院", {"engineering": 6, "social": 4}, "yhsi.cn"),
        ("云海省产品质量监督检验所", {"engineering": 5, "food": 5}, "yhqs.cn"),
        ("云海省食品检验检测研究院", {"food": 10}, "yhfda.cn"),
        ("云海省人工智能研究院", {"computing": 10}, "yhaii.cn"),
        ("云海省深海技术研究所", {"ocean": 8, "engineering": 2}, "yhdeep.cn"),
        ("云海省遥感与地理信息中心", {"geo": 6, "computing": 4}, "yhrs.cn"),
        ("云海省疾病预防控制中心", {"medicine": 10}, "yhcdc.cn"),
        ("云海省药品检验所", {"medicine": 6, "tcm": 4}, "yhdrug.cn"),
        ("云海省社会科学院", {"social": 10}, "yhass.cn"),
        ("云海省科技发展战略研究院", {"social": 10}, "yhstd.cn"),
        ("云海省南药研究所", {"tcm": 8, "agri": 2}, "yhsmi.cn"),
        ("云海省动物疫病预防控制中心", {"livestock": 10}, "yhadc.cn"),
        ("云海省种子总站", {"agri": 10}, "yhseed.cn"),
        ("东港市农业科学研究所", {"agri": 10}, None),
        ("西林市热带作物研究所", {"agri": 10}, None),
        ("南川市水产研究所", {"ocean": 10}, None),
        ("北原市林业科学研究所", {"forestry": 10}, None),
    ]
    for name, domains, mail in standalone_institutes:
        city = next((c for c, _ in CITIES if name.startswith(c)), CAPITAL)
        add(name, "institute", city, None, domains, mail, "research", 2)

    # Hospitals.
    hospitals = [
        ("云海省人民医院", CAPITAL, None, 8, "yhph.com"), ("云海省中医院", CAPITAL, None, 5, "yhtcmh.com"),
        ("云海医科大学第一附属医院", CAPITAL, None, 8, "yhmu.edu.cn"),
        ("云海医科大学第二附属医院", CAPITAL, None, 6, "yhmu.edu.cn"),
        ("云海省妇女儿童医学中心", CAPITAL, None, 4, None), ("云海省肿瘤医院", CAPITAL, None, 3, None),
        ("云海省眼科医院", CAPITAL, None, 1.5, None), ("云海省皮肤病医院", CAPITAL, None, 1, None),
        ("云海省安宁医院", CAPITAL, None, 1, None), ("云海省第三人民医院", "南川市", None, 3, None),
        ("云海省第二人民医院", "北原市", None, 3, None), ("云海省农垦总医院", CAPITAL, None, 4, None),
    ]
    for city, counties in CITIES:
        hospitals.append((city + "人民医院", city, None, 4, None))
        hospitals.append((city + "中医院", city, None, 2, None))
        hospitals.append((city + "妇幼保健院", city, None, 1.5, None))
        hospitals.append((city + "疾病预防控制中心", city, None, 1, None))
        for county in counties:
            hospitals.append((county + "人民医院", city, county, 1.5, None))
            hospitals.append((county + "中医院", city, county, 0.8, None))
    for name, city, county, weight, mail in hospitals:
        if "中医" in name:
            domains = {"tcm": 7, "nursing": 2, "medicine": 1}
        elif "疾病预防" in name:
            domains = {"medicine": 10}
        else:
            domains = {"medicine": 6, "nursing": 4}
        add(name, "hospital", city, county, domains, mail, None, weight)

    # Enterprises: named companies plus composed ones.
    companies = [
        ("云海绿源新材料有限公司", "C", {"engineering": 10}),
        ("云海能源集团有限公司", "D", {"engineering": 10}),
        ("云海电网有限责任公司", "D", {"engineering": 8, "computing": 2}),
        ("云海农垦控股集团有限公司", "A", {"agri": 7, "social": 3}),
        ("云海港航控股有限公司", "G", {"engineering": 7, "social": 3}),
        ("云海省建设集团有限公司", "E", {"engineering": 10}),
        ("云海交通投资控股有限公司", "E", {"engineering": 10}),
        ("云海省水务集团有限公司", "D", {"engineering": 6, "geo": 4}),
        ("云海椰树食品集团有限公司", "C", {"food": 10}),
        ("云海药业股份有限公司", "C", {"medicine": 6, "tcm": 4}),
        ("云海海洋渔业集团有限公司", "A", {"ocean": 10}),
        ("云海信息产业集团有限公司", "I", {"computing": 10}),
        ("云海数字科技有限公司", "I", {"computing": 10}),
        ("云海石化股份有限公司", "C", {"engineering": 10}),
        ("云海核电有限公司", "D", {"engineering": 10}),
        ("云海种业股份有限公司", "A", {"agri": 10}),
        ("云海智慧城市运营有限公司", "I", {"computing": 10}),
        ("云海气象科技服务有限公司", "M", {"geo": 10}),
        ("云海环保科技股份有限公司", "N", {"geo": 10}),
        ("云海航天技术有限公司", "C", {"engineering": 8, "computing": 2}),
    ]
    for name, industry, domains in companies:
        add(name, "enterprise", CAPITAL, None, domains, None, None, 2.5)
        employers[-1]["industry"] = industry
    brands = ["绿洲", "海峰", "南洋", "椰风", "蓝海", "星岛", "天涯", "宝岛", "琼华", "盛达", "华瑞", "中科",
              "睿智", "恒信", "鸿图", "金椰", "碧海", "新港", "丰源", "博远", "启航", "鼎盛", "万宁", "长风",
              "晨光", "远景", "海纳", "汇智", "天成", "润泽", "明德", "嘉禾", "瑞丰", "云帆", "南海", "德隆",
              "永信", "华南", "海川", "信达"]
    lines = [
        ("新材料", "C", {"engineering": 10}), ("电子科技", "I", {"computing": 10}),
        ("信息技术", "I", {"computing": 10}), ("生物科技", "M", {"agri": 4, "medicine": 3, "food": 3}),
        ("制药", "C", {"medicine": 6, "tcm": 4}), ("农业发展", "A", {"agri": 10}),
        ("海洋科技", "M", {"ocean": 10}), ("新能源", "D", {"engineering": 10}),
        ("建设工程", "E", {"engineering": 10}), ("环保科技", "N", {"geo": 10}), ("食品", "C", {"food": 10}),
        ("软件", "I", {"computing": 10}), ("智能装备", "C", {"engineering": 10}),
        ("水产养殖", "A", {"ocean": 10}), ("热带农业开发", "A", {"agri": 10}),
        ("检测技术服务", "M", {"food": 5, "engineering": 5}), ("数据服务", "I", {"computing": 10}),
        ("园林绿化工程", "E", {"forestry": 10}), ("畜牧", "A", {"livestock": 10}),
        ("工程咨询", "M", {"engineering": 6, "social": 4}),
    ]
    suffixes = Weighted([("有限公司", 6), ("股份有限公司", 2), ("科技有限公司", 1), ("集团有限公司", 1)])
    composer = random.Random(20260101)  # fixed: the employer list is the same for every seed
    seen = set(name for name, _, _ in companies)
    while len([e for e in employers if e["kind"] == "enterprise"]) < 110:
        city, _ = CITIES[composer.randrange(len(CITIES))]
        brand = composer.choice(brands)
        line, industry, domains = composer.choice(lines)
        suffix = suffixes.pick(composer)
        if suffix == "科技有限公司" and "科技" in line:
            suffix = "有限公司"
        prefix = "云海" if composer.random() < 0.6 else city[:-1]
        name = prefix + brand + line + suffix
        if name in seen:
            continue
        seen.add(name)
        add(name, "enterprise", city, None, domains, None, None, 0.4 + composer.random())
        employers[-1]["industry"] = industry

    # Agricultural extension stations (农技站) and the like, one set per city and county.
    for city, counties in CITIES:
        add(city + "农业技术推广中心", "station", city, None, {"agri": 10}, None, None, 1.2)
        add(city + "畜牧兽医服务中心", "station", city, None, {"livestock": 10}, None, None, 0.6)
        add(city + "水产技术推广站", "station", city, None, {"ocean": 10}, None, None, 0.5)
        add(city + "林业局林业工作站", "station", city, None, {"forestry": 10}, None, None, 0.4)
        for county in counties:
            add(county + "农业技术推广站", "station", city, county, {"agri": 10}, None, None, 0.8)
            add(county + "畜牧兽医站", "station", city, county, {"livestock": 10}, None, None, 0.4)
            add(county + "水产技术推广站", "station", city, county, {"ocean": 10}, None, None, 0.3)
            add(county + "植保植检站", "station", city, county, {"agri": 10}, None, None, 0.3)
            town = county[:-1] + "镇"
            add(county + town + "农业服务中心", "station", city, county, {"agri": 8, "livestock": 2}, None, None, 0.3)

    # Schools (科技辅导员, 科学教师).
    schools = ["云海中学", "云海师范大学附属中学", "云海华侨中学", "云海省实验中学"]
    for city, counties in CITIES:
        schools.append(city + "第一中学")
        schools.append(city + "实验小学")
    for name in schools:
        city = next((c for c, _ in CITIES if name.startswith(c)), CAPITAL)
        add(name, "school", city, None, {"education": 10}, None, "school", 0.8)

    # Rubber: only rows of the rubber domain work here, so 橡胶 stays at ~2% of rows.
    rubber = [
        ("云海省热带作物科学研究院橡胶研究所", "institute", CAPITAL, None, "yhtcs.cn", "research", 4),
        ("云海天然橡胶产业集团股份有限公司", "enterprise", CAPITAL, None, None, None, 3),
        ("云海橡胶制品有限公司", "enterprise", "西林市", None, None, None, 1),
        ("云海大学热带农林学院", "university", CAPITAL, None, "yhu.edu.cn", "teacher_univ", 2),
        ("云海大学材料科学与工程学院", "university", CAPITAL, None, "yhu.edu.cn", "teacher_univ", 1),
        ("云海省农垦控股集团有限公司", "enterprise", CAPITAL, None, None, None, 1),
        ("白沙县农业技术推广站", "station", "东港市", "白沙县", None, None, 1),
        ("松溪县农业技术推广站", "station", "西林市", "松溪县", None, None, 1),
        ("云海农业职业技术学院", "university", "南川市", None, "yhavc.edu.cn", "teacher_univ", 1),
    ]
    rubber_employers = []
    for name, kind, city, county, mail, series, weight in rubber:
        rubber_employers.append({"name": name, "kind": kind, "city": city, "county": county,
                                 "domains": Weighted([("rubber", 1)]), "mail": mail, "series": series,
                                 "weight": weight, "industry": "C" if "制品" in name or "产业" in name else "A"})
    return employers, rubber_employers


EMPLOYERS, RUBBER_EMPLOYERS = build_employers()
EMPLOYER_PICK = Weighted([(e, e["weight"]) for e in EMPLOYERS])
RUBBER_PICK = Weighted([(e, e["weight"]) for e in RUBBER_EMPLOYERS])

# Non-teaching staff at universities and institutes, and staff series at hospitals and companies.
HOSPITAL_SERIES = {
    "medicine": Weighted([("doctor", 70), ("technician", 15), ("pharmacist", 10), ("research", 5)]),
    "nursing": Weighted([("nurse", 100)]),
    "tcm": Weighted([("tcm", 80), ("pharmacist", 20)]),
}
ENTERPRISE_SERIES = Weighted([("domain", 78), ("economist", 12), ("accountant", 10)])

# ----------------------------------------------------------------------------------------------
# Phones and ID numbers: bijections of the global row index.

PHONE_PREFIXES = [
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "147", "150", "151", "152",
    "153", "155", "156", "157", "158", "159", "166", "172", "173", "175", "176", "177", "178", "180",
    "181", "182", "183", "184", "185", "186", "187", "188", "189", "191", "198", "199",
]
PHONE_SPACE = len(PHONE_PREFIXES) * 10 ** 8
MULTIPLIER = 2654435761  # prime; coprime with both spaces below

# 6-digit region codes for the ID's first digits: mostly Hainan (46), the model of the fictional
# 云海省, and some from provinces people move from. Only the first two digits are checked by the app.
ID_REGIONS = [
    "460105", "460106", "460107", "460108", "460202", "460203", "460204", "460205", "460321", "460400",
    "469001", "469002", "469005", "469006", "469007", "469021", "469022", "469023", "469024", "469025",
    "469026", "469027", "469028", "469029", "469030", "460100", "460200", "469003", "460300", "469004",
    "440104", "440305", "440803", "450102", "430104", "420106", "360102", "510104", "350102", "230103",
]
ID_SLOTS = len(ID_REGIONS) * 100 * 5  # region × two free sequence digits × five sex digits of one parity
ID_DAYS = 28  # birth day 1–28: rows sharing a slot differ in birth date
ID_SPACE = ID_SLOTS * ID_DAYS
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"


def id_check_character(first17):
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS)) % 11]


def reverse8(number):
    return int(f"{number:08d}"[::-1])


class Sequences:
    def __init__(self, seed):
        mix = random.Random(f"kexie-bench-people-sequences:{seed}")
        self.phone_offset = mix.randrange(PHONE_SPACE)
        self.phone_inner = mix.randrange(10 ** 8)
        self.id_offset = mix.randrange(ID_SPACE)

    def phone(self, index):
        value = (MULTIPLIER * index + self.phone_offset) % PHONE_SPACE
        prefix, rest = divmod(value, 10 ** 8)
        # A second bijection on the last 8 digits so consecutive rows do not look consecutive.
        rest = (40503 * reverse8(rest) + self.phone_inner) % 10 ** 8
        return f"{PHONE_PREFIXES[prefix]}{rest:08d}"

    def id_slot(self, index):
        """(region code, two sequence digits, parity choice 0–4, birth day 1–28), unique per index."""
        value = (MULTIPLIER * index + self.id_offset) % ID_SPACE
        round_, slot = divmod(value, ID_SLOTS)
        region, rest = divmod(slot, 500)
        sequence, choice = divmod(rest, 5)
        day = (round_ + slot * 7919) % ID_DAYS + 1
        return ID_REGIONS[region], sequence, choice, day

    def id_number(self, index, year, month, male):
        region, sequence, choice, day = self.id_slot(index)
        sex_digit = 2 * choice + (1 if male else 0)
        first17 = f"{region}{year:04d}{month:02d}{day:02d}{sequence:02d}{sex_digit}"
        return first17 + id_check_character(first17)


# ----------------------------------------------------------------------------------------------
# Rows

AGE_WEIGHTS = Weighted([(age, w) for age, w in (
    [(a, 1.0) for a in range(22, 25)] + [(a, 3.0) for a in range(25, 35)] + [(a, 3.2) for a in range(35, 45)]
    + [(a, 2.6) for a in range(45, 55)] + [(a, 1.8) for a in range(55, 60)] + [(a, 0.8) for a in range(60, 65)]
    + [(a, 0.35) for a in range(65, 76)])])

MAIL_DOMAINS = Weighted([("qq.com", 30), ("163.com", 25), ("126.com", 10), ("foxmail.com", 5),
                         ("sina.com", 3), ("outlook.com", 3), ("139.com", 3), ("gmail.com", 1), ("own", 20)])

CITY_NAMES = [c for c, _ in CITIES]


def make_name(rng, male, ethnicity):
    if ethnicity == "维吾尔族":
        given, given_py = rng.choice(UYGHUR_MALE if male else UYGHUR_FEMALE)
        father, father_py = rng.choice(UYGHUR_FATHER)
        return f"{given}·{father}", f"{given_py}.{father_py}"
    surname, surname_py = SURNAMES.pick(rng)
    pool = MALE_GIVEN if male else FEMALE_GIVEN
    if rng.random() < 0.27:
        given, given_py = pool.pick(rng)
    else:
        first, first_py = pool.pick(rng)
        second, second_py = pool.pick(rng)
        if second == first and rng.random() < 0.8:
            second, second_py = pool.pick(rng)
        given, given_py = first + second, first_py + second_py
    return surname + given, f"{surname_py}.{given_py}"


def make_email(rng, pinyin, year, employer, index):
    domain = MAIL_DOMAINS.pick(rng)
    if domain == "own":
        domain = employer["mail"] or "qq.com"
    surname, _, given = pinyin.partition(".")
    style = rng.random()
    if domain == "qq.com" and style < 0.5:
        local = str(10000000 + (index * 7919 + 1234567) % 2000000000)  # QQ numbers
    elif style < 0.35:
        local = f"{surname}{given}{year % 100:02d}"
    elif style < 0.6:
        local = f"{given}.{surname}"
    elif style < 0.8:
        local = f"{surname}_{given}{index % 1000}"
    else:
        local = f"{surname[0]}{given}{year}"
    return f"{local}@{domain}"


def research_direction(rng, domain):
    terms = DOMAINS[domain][2]
    count = 1 if rng.random() < 0.35 else 2 if rng.random() < 0.7 else 3
    picked = []
    while len(picked) < count:
        term = rng.choice(terms)
        if term not in picked:
            picked.append(term)
    return "、".join(picked)


def make_row(rng, seq, index, today):
    """One valid row as a list of 19 strings (index: global row index for phone and ID)."""
    rubber = rng.random() < 0.02
    employer = RUBBER_PICK.pick(rng) if rubber else EMPLOYER_PICK.pick(rng)
    domain = employer["domains"].pick(rng)
    kind = employer["kind"]

    female_share = 0.42
    if domain == "nursing":
        female_share = 0.93
    elif kind == "school":
        female_share = 0.65
    male = rng.random() >= female_share
    ethnicity = ETHNICITY.pick(rng)
    name, pinyin = make_name(rng, male, ethnicity)

    age = AGE_WEIGHTS.pick(rng)
    month = rng.randint(1, 12)
    year = today.year - age - (1 if today.month < month else 0)

    political = (POLITICAL_YOUNG if age < 28 else POLITICAL_ADULT).pick(rng)

    education = EDUCATION_BY_KIND[kind].pick(rng)
    if age >= 55 and education == "博士研究生" and rng.random() < 0.4:
        education = "硕士研究生"
    if age >= 60 and education == "硕士研究生" and rng.random() < 0.4:
        education = "大学本科"
    if age < 25 and education == "博士研究生":
        education = "硕士研究生" if age >= 24 else "大学本科"
    if education in DEGREE_FOR:
        degree = DEGREE_FOR[education]
    elif education == "大学本科":
        degree = "学士" if rng.random() < 0.9 else ""
    else:
        degree = "无" if rng.random() < 0.5 else ""

    level = next(dist for bound, dist in LEVEL_BY_AGE if age <= bound).pick(rng)
    if kind in ("university", "institute"):
        series = employer["series"]
        if rng.random() < 0.2:  # laboratory, clinical or engineering staff
            series = "lab" if rng.random() < 0.5 else DOMAINS[domain][1]
            if series in ("school", "economist"):
                series = "research"
    elif kind == "hospital":
        series = HOSPITAL_SERIES[domain].pick(rng)
    elif kind == "enterprise":
        series = ENTERPRISE_SERIES.pick(rng)
        if series == "domain":
            series = DOMAINS[domain][1]
            if series not in ("agronomist", "animal", "engineer_fish"):
                series = "engineer"
    elif kind == "school":
        series = "school"
    else:
        series = DOMAINS[domain][1] if DOMAINS[domain][1] in ("agronomist", "animal", "engineer_fish", "engineer") \
            else "agronomist"
    if employer["name"].endswith("图书馆"):
        series = "librarian"
    if level == "none":
        title, level_text = "", ("无" if rng.random() < 0.6 else "")
    else:
        title = rng.choice(SERIES[series][level])
        level_text = LEVEL_LABEL[level]
        shape = rng.random()
        if shape < 0.04:
            level_text = ""  # 职称 alone: the level is inferred
        elif shape < 0.07:
            title = ""  # level alone

    city = employer["city"]
    county = employer["county"] or ""
    if rng.random() < 0.12:  # lives or works elsewhere in the province
        city, counties = CITIES[rng.randrange(len(CITIES))]
        county = rng.choice(counties) if rng.random() < 0.5 else ""
    elif not county and kind not in ("hospital",) and rng.random() < 0.15:
        county = dict(CITIES)[city][rng.randrange(2)]
    province = "云海省"
    if rng.random() < 0.01:
        province, city, county = "", "", ""

    discipline_code = rng.choice(DOMAINS[domain][0])
    shape = rng.random()
    discipline = discipline_code if shape < 0.15 else "" if shape < 0.2 else DISCIPLINE_NAMES[discipline_code]

    industry_pick = INDUSTRY_BY_KIND[kind]
    industry_code = employer.get("industry") if industry_pick is None else industry_pick.pick(rng)
    shape = rng.random()
    industry = industry_code if shape < 0.4 else "" if shape < 0.5 else INDUSTRY_NAMES[industry_code]

    direction = research_direction(rng, domain) if (rubber or rng.random() > 0.04) else ""

    phone = seq.phone(index)
    email = make_email(rng, pinyin, year, employer, index) if rng.random() < 0.6 else ""
    id_number = seq.id_number(index, year, month, male) if rng.random() < 0.9 else ""

    return [name, "男" if male else "女", f"{year:04d}-{month:02d}", ethnicity, political, education, degree,
            title, level_text, employer["name"], province, city, county, discipline, industry, direction,
            phone, email, id_number]


# ----------------------------------------------------------------------------------------------
# Corruption for the import-with-errors path

COL = {name: i for i, name in enumerate(HEADER)}
CORRUPTIONS = ["id_checksum", "bad_phone", "missing_name", "birth_month_mismatch"]


def corrupt(row, kind, rng, seq, index):
    """Mutates row; returns a short description."""
    if kind in ("id_checksum", "birth_month_mismatch") and not row[COL["身份证号"]]:
        year, month = map(int, row[COL["出生年月"]].split("-"))
        row[COL["身份证号"]] = seq.id_number(index, year, month, row[COL["性别"]] == "男")
    if kind == "id_checksum":
        good = row[COL["身份证号"]]
        wrong = rng.choice([c for c in ID_CHECK if c != good[17]])
        row[COL["身份证号"]] = good[:17] + wrong
        return f"身份证号 check character {good[17]} -> {wrong}: {row[COL['身份证号']]}"
    if kind == "bad_phone":
        good = row[COL["手机"]]
        bad = good[:10] if rng.random() < 0.5 else "12" + good[2:]
        row[COL["手机"]] = bad
        return f"手机 {good} -> {bad}"
    if kind == "missing_name":
        old = row[COL["姓名"]]
        row[COL["姓名"]] = ""
        return f"姓名 {old} removed"
    year, month = map(int, row[COL["出生年月"]].split("-"))
    month = month + 1 if month < 12 else month - 1
    old = row[COL["出生年月"]]
    row[COL["出生年月"]] = f"{year:04d}-{month:02d}"
    return f"出生年月 {old} -> {row[COL['出生年月']]} (身份证号 {row[COL['身份证号']]})"


# ----------------------------------------------------------------------------------------------
# Output

def write_csv(path, rows):
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(rows)


def write_xlsx(path, rows):
    try:
        from openpyxl import Workbook
    except ImportError:
        sys.exit("XLSX output needs openpyxl (pip install openpyxl), or write .csv")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("会员信息")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def print_stats(rows, today):
    from collections import Counter
    names = Counter(r[COL["姓名"]] for r in rows)
    rubber = sum(1 for r in rows if any("橡胶" in c for c in r))
    ai = sum(1 for r in rows if "人工智能" in r[COL["研究方向"]])
    bands = Counter()
    for r in rows:
        if not r[COL["出生年月"]]:
            continue
        year, month = map(int, r[COL["出生年月"]].split("-"))
        age = today.year - year - (1 if today.month < month else 0)
        bands["under_35" if age < 35 else "35_44" if age < 45 else "45_54" if age < 55 else "55_plus"] += 1
    n = len(rows)
    print(f"rows: {n}", file=sys.stderr)
    print(f"rows containing 橡胶: {rubber} ({rubber / n:.2%}); 研究方向 with 人工智能: {ai} ({ai / n:.2%})",
          file=sys.stderr)
    print(f"with 邮箱: {sum(1 for r in rows if r[COL['邮箱']]) / n:.1%}; "
          f"with 身份证号: {sum(1 for r in rows if r[COL['身份证号']]) / n:.1%}; "
          f"女: {sum(1 for r in rows if r[COL['性别']] == '女') / n:.1%}", file=sys.stderr)
    print(f"employers: {len(set(r[COL['工作单位']] for r in rows))}; age bands: {dict(sorted(bands.items()))}",
          file=sys.stderr)
    senior_female_35_44 = sum(
        1 for r in rows if r[COL["性别"]] == "女" and r[COL["职称级别"]] == "正高级"
        and r[COL["出生年月"]] and 35 <= (today.year - int(r[COL["出生年月"]][:4])
                                         - (1 if today.month < int(r[COL["出生年月"]][5:]) else 0)) <= 44)
    print(f"正高级 女 35–44 (职称级别 column only): {senior_female_35_44}", file=sys.stderr)
    print("most common names: " + ", ".join(f"{k} {v}" for k, v in names.most_common(8)), file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description="Generate valid people rows for the Members import benchmark.")
    parser.add_argument("--count", type=int, required=True, help="number of data rows")
    parser.add_argument("--out", required=True, help="output file, .csv or .xlsx")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--offset", type=int, default=0,
                        help="global index of the first row; use the same seed and offset=rows so far to extend "
                             "a data set without repeating phones or ID numbers (default 0)")
    parser.add_argument("--errors", type=int, default=0, help="corrupt this many random rows (listed on stderr)")
    parser.add_argument("--stats", action="store_true", help="print counts of the generated rows to stderr")
    args = parser.parse_args()

    extension = os.path.splitext(args.out)[1].lower()
    if extension not in (".csv", ".xlsx"):
        parser.error("--out must end in .csv or .xlsx")
    if args.count < 0 or args.offset < 0:
        parser.error("--count and --offset must not be negative")
    if args.offset + args.count > min(ID_SPACE, PHONE_SPACE):
        parser.error(f"--offset + --count may be at most {min(ID_SPACE, PHONE_SPACE)} (unique ID numbers)")
    if not 0 <= args.errors <= args.count:
        parser.error("--errors must be between 0 and --count")

    started = time.monotonic()
    today = china_today()
    rng = random.Random(f"kexie-bench-people:{args.seed}:{args.offset}")
    seq = Sequences(args.seed)
    rows = [make_row(rng, seq, args.offset + i, today) for i in range(args.count)]

    if args.errors:
        error_rng = random.Random(f"kexie-bench-people-errors:{args.seed}:{args.offset}")
        chosen = sorted(error_rng.sample(range(args.count), args.errors))
        kinds = [CORRUPTIONS[i % len(CORRUPTIONS)] for i in range(args.errors)]
        error_rng.shuffle(kinds)
        print(f"corrupted {args.errors} rows (spreadsheet row numbers; the header is row 1):", file=sys.stderr)
        for i, kind in zip(chosen, kinds):
            detail = corrupt(rows[i], kind, error_rng, seq, args.offset + i)
            print(f"  row {i + 2}: {kind}: {detail}", file=sys.stderr)

    if args.stats:
        print_stats(rows, today)
    (write_xlsx if extension == ".xlsx" else write_csv)(args.out, rows)
    print(f"wrote {args.count} rows to {args.out} in {time.monotonic() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
