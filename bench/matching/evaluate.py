"""Scores ranked lists against graded labels: nDCG@10, P@5 and MRR.

Engines compared on the development set (bench/devset.py):
  kexie            the Swift matcher, via `match-bench match` (release build)
  kexie-text       the same with industry/region/trl removed from the input (text only, as the baseline sees)
  kexie-nodict     the same without the concept dictionary (no synonyms, senses or stop words)
  jieba+bm25       jieba.lcut segmentation + rank_bm25.BM25Okapi (defaults k1=1.5, b=0.75)
  jieba-search+bm25  jieba.cut_for_search (also emits sub-words, e.g. 橡胶 from 天然橡胶) + BM25Okapi

Definitions: gain 2^grade - 1, nDCG@10 against the ideal ordering of all labelled supplies;
P@5 = share of the top 5 with grade >= 2; MRR = 1 / rank of the first grade >= 2 result (0 if none in top 10).

Usage: python3 evaluate.py [--binary ../../.build/release/match-bench] [--json results.json]
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
PUNCT = set("，。、；：？！“”‘’（）《》【】—…·,.;:?!()[]<>\"' \t\n")


def load_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_qrels(path):
    qrels = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            demand, supply, grade = line.rstrip("\n").split("\t")
            qrels.setdefault(demand, {})[supply] = int(grade)
    return qrels


def run_kexie(binary, supplies_path, demands_path, concepts=None, strip=False):
    with tempfile.TemporaryDirectory() as tmp:
        if strip:
            for name, src in (("s.jsonl", supplies_path), ("d.jsonl", demands_path)):
                with open(os.path.join(tmp, name), "w", encoding="utf-8") as f:
                    for r in load_jsonl(src):
                        f.write(json.dumps({k: r[k] for k in ("id", "title", "description")}, ensure_ascii=False) + "\n")
            supplies_path, demands_path = os.path.join(tmp, "s.jsonl"), os.path.join(tmp, "d.jsonl")
        args = [binary, "match", "--supplies", supplies_path, "--demands", demands_path, "--top", "10"]
        if concepts is not None:
            path = os.path.join(tmp, "concepts.txt")
            with open(path, "w", encoding="utf-8") as f:
                f.write(concepts)
            args += ["--concepts", path]
        out = subprocess.run(args, check=True, capture_output=True).stdout
    return {str(d["demand"]): [str(m["supply"]) for m in d["matches"]] for d in json.loads(out)}, json.loads(out)


def run_jieba_bm25(supplies, demands, for_search):
    import jieba
    from rank_bm25 import BM25Okapi
    jieba.setLogLevel(60)
    cut = jieba.cut_for_search if for_search else jieba.lcut

    def tokens(text):
        return [t.lower() for t in cut(text) if t.strip() and not all(c in PUNCT for c in t)]

    corpus = [tokens(s["title"] + " " + s.get("description", "")) for s in supplies]
    bm25 = BM25Okapi(corpus)
    ranked = {}
    for d in demands:
        scores = bm25.get_scores(tokens(d["title"] + " " + d.get("description", "")))
        order = sorted(range(len(supplies)), key=lambda i: -scores[i])
        ranked[d["id"]] = [supplies[i]["id"] for i in order[:10] if scores[i] > 0]
    return ranked


def ndcg_per_demand(ranked, qrels, demand_ids):
    return [metrics(ranked, qrels, [d])[0] for d in demand_ids]


def bootstrap_difference(a, b, rounds=10_000, seed=1):
    """Mean paired difference a - b with a 95% bootstrap interval over demands."""
    import random
    rng = random.Random(seed)
    diffs = [x - y for x, y in zip(a, b)]
    means = sorted(sum(rng.choice(diffs) for _ in diffs) / len(diffs) for _ in range(rounds))
    return sum(diffs) / len(diffs), means[int(0.025 * rounds)], means[int(0.975 * rounds)]


def metrics(ranked, qrels, demand_ids):
    ndcg = p5 = mrr = 0.0
    for demand in demand_ids:
        labels = qrels.get(demand, {})
        results = ranked.get(demand, [])[:10]
        dcg = sum((2 ** labels.get(s, 0) - 1) / math.log2(i + 2) for i, s in enumerate(results))
        ideal = sorted(labels.values(), reverse=True)[:10]
        idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
        ndcg += dcg / idcg if idcg else 0
        p5 += sum(1 for s in results[:5] if labels.get(s, 0) >= 2) / 5
        mrr += next((1 / (i + 1) for i, s in enumerate(results) if labels.get(s, 0) >= 2), 0)
    n = len(demand_ids)
    return ndcg / n, p5 / n, mrr / n


# Subsets, fixed when the set was written.
AMBIGUOUS = ["D03", "D04", "D17", "D18", "D21", "D22", "D30", "D34", "D35"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(HERE, "..", "..", ".build", "release", "match-bench"))
    parser.add_argument("--json", help="also write the kexie output here")
    args = parser.parse_args()
    supplies_path = os.path.join(DATA, "dev_supplies.jsonl")
    demands_path = os.path.join(DATA, "dev_demands.jsonl")
    supplies, demands = load_jsonl(supplies_path), load_jsonl(demands_path)
    qrels = load_qrels(os.path.join(DATA, "dev_qrels.tsv"))

    engines = {}
    engines["kexie"], raw = run_kexie(args.binary, supplies_path, demands_path)
    engines["kexie-text"], _ = run_kexie(args.binary, supplies_path, demands_path, strip=True)
    engines["kexie-nodict"], _ = run_kexie(args.binary, supplies_path, demands_path, concepts="")
    engines["jieba+bm25"] = run_jieba_bm25(supplies, demands, for_search=False)
    engines["jieba-search+bm25"] = run_jieba_bm25(supplies, demands, for_search=True)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(raw, f, ensure_ascii=False, indent=1)

    all_ids = [d["id"] for d in demands]
    subsets = {
        "all": all_ids,
        "first batch D01-D40": [i for i in all_ids if i <= "D40"],
        "held-out plain-language D41-D60": [i for i in all_ids if i > "D40"],
        "short (title only)": [d["id"] for d in demands if not d.get("description")],
        "ambiguous word": AMBIGUOUS,
    }
    print(f"{len(supplies)} supplies, {len(demands)} demands, {sum(len(v) for v in qrels.values())} labelled pairs")
    for name, ids in subsets.items():
        print(f"\n{name} ({len(ids)} demands)      nDCG@10   P@5    MRR")
        for engine, ranked in engines.items():
            n, p, m = metrics(ranked, qrels, ids)
            print(f"  {engine:<20} {n:7.3f} {p:6.3f} {m:6.3f}")

    print("\nnDCG@10 difference, kexie minus baseline, paired bootstrap 95% interval over demands:")
    for name, ids in list(subsets.items())[:3]:
        mine = ndcg_per_demand(engines["kexie"], qrels, ids)
        for baseline in ("jieba+bm25", "jieba-search+bm25"):
            mean, low, high = bootstrap_difference(mine, ndcg_per_demand(engines[baseline], qrels, ids))
            print(f"  {name:<34} vs {baseline:<18} {mean:+.3f} [{low:+.3f}, {high:+.3f}]")


if __name__ == "__main__":
    sys.exit(main())
