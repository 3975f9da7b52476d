"""Synthetic load for the speed test: 100,000 supplies and 1,000 demands as JSON Lines.

Text is assembled from per-domain vocabularies (subjects, methods, outcomes) so that postings
have realistic length (about 60-200 characters), a realistic spread of shared and rare terms,
and the same JSON shape the app reads. It is for timing only: nothing here is labelled.

Usage: python3 generate.py [--supplies 100000] [--demands 1000] [--seed 7]
"""
import argparse
import json
import os
import random

DOMAINS = {
    "A": (["天然橡胶", "橡胶树", "胶园", "槟榔", "椰子", "香蕉", "芒果", "荔枝", "胡椒", "咖啡", "火龙果", "水稻", "甘蔗", "茶树", "沉香", "南药", "石斑鱼", "对虾", "金鲳鱼", "生猪", "肉鸡", "蔬菜", "柑橘", "菠萝", "木薯", "油茶"],
          ["割胶", "病虫害绿色防控", "水肥一体化", "组培快繁", "分子育种", "采后保鲜", "生物防治", "无人机植保", "土壤改良", "循环水养殖", "疫病快速检测", "精准施肥", "智能灌溉", "林下间种", "遥感监测", "品种选育"]),
    "C": (["动力电池", "正极材料", "负极材料", "隔膜", "电解液", "再生胶", "废旧轮胎", "橡胶密封件", "聚乳酸", "碳纤维", "石墨烯", "防腐涂料", "稀土永磁", "反渗透膜", "陶瓷", "玻璃纤维", "铝合金", "钛合金", "光纤", "芯片", "传感器", "减速器", "伺服电机", "医用敷料", "抗体药物", "诊断试剂"],
          ["共沉淀", "连续脱硫", "热裂解", "改性", "涂覆", "精密铸造", "注塑成型", "3d打印", "纳米复合", "低温烧结", "连续化生产", "表面处理", "配方优化", "自动化装配", "在线检测", "节能干燥"]),
    "D": (["光伏电站", "风电机组", "储能电站", "电解槽", "燃料电池", "智能电网", "配电网", "燃煤锅炉", "生物质发电", "海上风电", "充电桩", "换电站"],
          ["智能运维", "故障诊断", "功率预测", "烟气脱硫", "能量管理", "热失控预警", "梯次利用", "防腐", "无人机巡检", "负荷调度"]),
    "I": (["工业互联网", "大模型", "区块链", "物联网", "数字孪生", "计算机视觉", "网络安全", "北斗定位", "边缘计算", "5g专网", "智慧城市", "政务服务"],
          ["预测性维护", "知识问答", "溯源", "漏洞扫描", "图像识别", "数据治理", "远程监控", "隐私计算", "智能调度", "低代码开发"]),
    "N": (["污水处理", "土壤修复", "餐厨垃圾", "垃圾焚烧", "工业废气", "养殖尾水", "黑臭水体", "固体废物", "河道治理", "农村污水"],
          ["膜生物反应器", "厌氧消化", "催化燃烧", "钝化修复", "生态浮床", "资源化利用", "一体化设备", "高级氧化", "人工湿地", "在线监测"]),
    "Q": (["肺结节", "糖尿病", "肿瘤", "心血管", "慢病管理", "基层医疗", "康复训练", "老年护理"],
          ["人工智能辅助诊断", "可穿戴监测", "细胞治疗", "远程会诊", "化学发光检测", "基因测序", "中医药干预"]),
}
OUTCOMES = ["成本降低百分之{}", "效率提高百分之{}", "产量提高百分之{}", "能耗下降百分之{}", "寿命延长百分之{}", "合格率达到百分之九十{}"]
CONTEXT = ["已在{}家企业示范应用", "完成中试验证", "获得发明专利{}项", "形成企业标准", "具备规模化推广条件", "可提供技术许可或合作开发", "适用于中小企业改造升级", "技术指标达到国内先进水平"]
REGIONS = ["460100", "460200", "460400", "469002", "469005", "469006", "469007", "海南省儋州市", "海南省",
           "440300", "440100", "320500", "330100", "370200", "430100", "420100", "510100", "110000", "310000",
           "广东省湛江市", "云南省昆明市", "福建省福州市", "江西省赣州市", "山东省"]
ASK = ["寻求{}{}技术", "需要解决{}的{}问题", "希望引进{}{}成果", "{}{}合作开发", "{}"]


def supply(i, rng):
    industry = rng.choice(list(DOMAINS))
    subjects, methods = DOMAINS[industry]
    subject, method = rng.choice(subjects), rng.choice(methods)
    title = rng.choice(["{}{}技术", "{}{}关键技术与装备", "基于{}的{}系统", "{}{}工艺"]).format(subject, method) \
        if rng.random() < 0.9 else "{}{}".format(subject, method)
    parts = []
    if rng.random() > 0.1:  # one in ten postings is title only
        for _ in range(rng.randint(2, 5)):
            parts.append("针对{}{}难题，采用{}与{}".format(rng.choice(subjects), rng.choice(["生产", "管理", "质量", "能耗", "环保"]),
                                                   rng.choice(methods), rng.choice(methods)))
            parts.append(rng.choice(OUTCOMES).format(rng.randint(5, 60)))
        parts.append(rng.choice(CONTEXT).format(rng.randint(2, 30)))
    record = {"id": f"S{i:06d}" if i % 2 else i, "title": title, "description": "，".join(parts) + ("。" if parts else ""),
              "industry": industry, "region": rng.choice(REGIONS), "trl": rng.randint(3, 9)}
    return record


def demand(i, rng):
    industry = rng.choice(list(DOMAINS))
    subjects, methods = DOMAINS[industry]
    template = rng.choice(ASK)
    title = template.format(rng.choice(subjects), rng.choice(methods)) if "{}{}" in template or template.count("{}") == 2 \
        else template.format(rng.choice(subjects))
    description = "" if rng.random() < 0.3 else "我单位主要从事{}，目前{}方面存在瓶颈，{}。".format(
        rng.choice(subjects), rng.choice(methods), rng.choice(["希望与高校院所合作", "预算五十万元左右", "要求一年内落地", "可提供试验场地"]))
    return {"id": f"D{i:04d}", "title": title, "description": description, "industry": industry,
            "region": rng.choice(REGIONS), "trl": rng.randint(4, 8)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--supplies", type=int, default=100_000)
    parser.add_argument("--demands", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "load_supplies.jsonl"), "w", encoding="utf-8") as f:
        for i in range(args.supplies):
            f.write(json.dumps(supply(i, rng), ensure_ascii=False) + "\n")
    with open(os.path.join(out, "load_demands.jsonl"), "w", encoding="utf-8") as f:
        for i in range(args.demands):
            f.write(json.dumps(demand(i, rng), ensure_ascii=False) + "\n")
    print(f"wrote {args.supplies} supplies and {args.demands} demands to {out}")


if __name__ == "__main__":
    main()
