#!/usr/bin/env python3
"""Generates the demo county's grid boundaries and teams (all invented):

    backend/demo/grids.geojson    FeatureCollection, WGS84, one feature per grid
    backend/demo/grid-people.csv  grid_code,role,name,phone (UTF-8 with BOM, as Excel saves)

The fictional 安澜县 lies in central Guizhou (lon 107.40-107.60, lat 27.70-27.90). Its
4 townships x 4 villages x 2 grids (codes AL{township}{village}{grid}, as seeded by
backend/src/seed.rs) tile a jittered 8x4 lattice, so neighbouring grids share their
edges exactly. 桃源村第1网格 has a hole (the reservoir's water surface belongs to no
grid) and 高坪村第2网格 is a MultiPolygon with an exclave (飞地) east of the county.
The output is deterministic: run `python3 scripts/gen-demo-grids.py` after changing it
and commit both files; the server seeds them in demo mode and the tests read them.
"""

import csv
import io
import json
import math
import os
import random

PLACES = [
    ("城关街道", ["幸福社区", "东门社区", "西街社区", "滨河社区"]),
    ("桃源镇", ["桃源村", "杏花村", "石门村", "新田村"]),
    ("清河镇", ["清河村", "柳湾村", "龙井村", "双溪村"]),
    ("石桥乡", ["石桥村", "红岩村", "茶园村", "高坪村"]),
]
STREETS = ["人民路", "东门街", "西大街", "滨河路"]
HAMLETS = ["龙家寨", "上寨", "杨柳寨", "岩脚寨", "新寨", "坪上寨", "田坝寨", "王家寨",
           "大寨", "小寨", "水井寨", "竹林寨", "羊场寨", "石板寨", "河边寨", "高寨",
           "下寨", "罗家寨", "老寨", "松林寨", "茶山寨", "中寨", "沙坝寨", "冲头寨"]
GROUPS = ["一组", "二组", "三组", "四组", "五组", "六组"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = ["建国", "秀英", "海燕", "志强", "丽华", "德明", "春梅", "国庆", "晓红", "永福",
         "光荣", "桂兰", "明亮", "玉珍", "世平", "红霞", "兴旺", "小芳", "忠诚", "天佑"]
COMMON_ITEMS = ["矛盾纠纷排查调解", "社会治安巡查与信息报送", "安全隐患排查", "政策宣传与民情收集",
                "代办帮办（社保、医保、证明材料）", "特殊人群关爱走访"]
VILLAGE_ITEMS = ["森林防火巡查", "农村饮水安全巡查"]
COMMUNITY_ITEMS = ["物业纠纷调解", "出租房屋信息登记"]

WEST, EAST, SOUTH, NORTH = 107.40, 107.60, 27.70, 27.90
COLS, ROWS = 8, 4
DX, DY = (EAST - WEST) / COLS, (NORTH - SOUTH) / ROWS
HOLE_GRID, MULTI_GRID = "AL020101", "AL040402"

rnd = random.Random(2026)


def r6(v):
    return round(v, 6)


# Lattice vertices, row 0 at the north. Interior vertices move up to 15% of a cell;
# the county's outline keeps its corners on the box.
vertex = {}
for j in range(ROWS + 1):
    for i in range(COLS + 1):
        lon, lat = WEST + i * DX, NORTH - j * DY
        if 0 < i < COLS:
            lon += rnd.uniform(-0.15, 0.15) * DX
        if 0 < j < ROWS:
            lat += rnd.uniform(-0.15, 0.15) * DY
        vertex[(i, j)] = (r6(lon), r6(lat))


# Each lattice edge bends through 3 points, the same for both grids beside it.
edge_points = {}


def edge(a, b):
    """Points from vertex a to vertex b, excluding b."""
    key = (min(a, b), max(a, b))
    if key not in edge_points:
        (x1, y1), (x2, y2) = vertex[key[0]], vertex[key[1]]
        length = math.hypot(x2 - x1, y2 - y1)
        nx, ny = -(y2 - y1) / length, (x2 - x1) / length
        mids = []
        for t in (0.25, 0.5, 0.75):
            bend = rnd.uniform(-0.05, 0.05) * length
            mids.append((r6(x1 + t * (x2 - x1) + bend * nx), r6(y1 + t * (y2 - y1) + bend * ny)))
        edge_points[key] = mids
    mids = edge_points[key]
    return [vertex[a]] + (mids if a == key[0] else mids[::-1])


def cell_ring(col, row):
    """Counter-clockwise (RFC 7946): south-west, south-east, north-east, north-west."""
    sw, se, ne, nw = (col, row + 1), (col + 1, row + 1), (col + 1, row), (col, row)
    ring = edge(sw, se) + edge(se, ne) + edge(ne, nw) + edge(nw, sw)
    return [list(p) for p in ring] + [list(ring[0])]


def blob(cx, cy, rx, ry, n, clockwise):
    pts = []
    for k in range(n):
        a = 2 * math.pi * k / n
        s = rnd.uniform(0.8, 1.0)
        pts.append([r6(cx + rx * s * math.cos(a)), r6(cy + ry * s * math.sin(a))])
    if clockwise:
        pts.reverse()
    return pts + [pts[0]]


def person_names():
    seen = set()
    while True:
        name = rnd.choice(SURNAMES) + rnd.choice(GIVEN)
        if name not in seen:
            seen.add(name)
            yield name


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out_dir = os.path.join(root, "backend", "demo")
    os.makedirs(out_dir, exist_ok=True)
    names = person_names()
    phone_no = iter(range(1, 10000))
    phone = lambda: f"1398510{next(phone_no):04d}"
    features, people = [], []
    hamlet_no = 0
    for t, (township, villages) in enumerate(PLACES):
        guide = (next(names), phone())
        for v, village in enumerate(villages):
            cadre = (next(names), phone())
            community = village.endswith("社区")
            for g in (1, 2):
                code = f"AL{t + 1:02d}{v + 1:02d}{g:02d}"
                col = (t % 2) * 4 + (v % 2) * 2 + (g - 1)
                row = (t // 2) * 2 + (v // 2)
                polygon = [cell_ring(col, row)]
                side = "西" if g == 1 else "东"
                if community:
                    compound = village.replace("社区", "小区")
                    places = [f"{compound}{n}栋" for n in range(6 * g - 5, 6 * g + 1)]
                    places.append(STREETS[v] if g == 1 else f"{STREETS[v]}北段")
                else:
                    hamlet = HAMLETS[hamlet_no % len(HAMLETS)]
                    hamlet_no += 1
                    places = [f"{village}{grp}" for grp in GROUPS[3 * g - 3:3 * g]] + [hamlet]
                area = f"{village}{side}片区，含{'、'.join(places)}"
                if code == HOLE_GRID:
                    ring = polygon[0][:-1]
                    cx = sum(p[0] for p in ring) / len(ring)
                    cy = sum(p[1] for p in ring) / len(ring)
                    polygon.append(blob(cx, cy, 0.25 * DX, 0.2 * DY, 10, clockwise=True))
                    area += "；不含桃源水库水面"
                geometry = {"type": "Polygon", "coordinates": polygon}
                if code == MULTI_GRID:
                    exclave = blob(EAST + 0.02, SOUTH + 0.02, 0.008, 0.01, 8, clockwise=False)
                    geometry = {"type": "MultiPolygon", "coordinates": [polygon, [exclave]]}
                    places.append(f"{village}飞地茶场")
                    area += f"；另含县境东侧的{village}飞地茶场"
                items = COMMON_ITEMS + (COMMUNITY_ITEMS if community else VILLAGE_ITEMS)
                features.append({
                    "type": "Feature",
                    "properties": {
                        "code": code,
                        "name": f"{village}第{g}网格",
                        "township": township,
                        "village": village,
                        "area_description": area,
                        "supervision_phone": f"0000-8{t + 1}{v + 1}00",
                        "service_items": items,
                        "places": places,
                    },
                    "geometry": geometry,
                })
                team = [("网格员", next(names), phone()), ("乡镇指导员", *guide), ("村干部", *cadre)]
                if community:
                    team += [("保洁员", next(names), phone()), ("安全员", next(names), phone())]
                else:
                    team += [("寨长", next(names), phone())]
                    team += [(role, next(names), phone()) for role in rnd.sample(["保洁员", "水管员", "护路员", "护林员"], 3)]
                people += [(code, *member) for member in team]
    collection = {"type": "FeatureCollection", "features": features}
    with open(os.path.join(out_dir, "grids.geojson"), "w", encoding="utf-8") as f:
        f.write("{\"type\": \"FeatureCollection\", \"features\": [\n")
        f.write(",\n".join(json.dumps(feature, ensure_ascii=False, separators=(",", ":")) for feature in features))
        f.write("\n]}\n")
    assert json.load(open(os.path.join(out_dir, "grids.geojson"), encoding="utf-8")) == collection
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["grid_code", "role", "name", "phone"])
    writer.writerows(people)
    with open(os.path.join(out_dir, "grid-people.csv"), "w", encoding="utf-8-sig", newline="") as f:
        f.write(buffer.getvalue())
    print(f"{len(features)} grids, {len(people)} people -> {out_dir}")


if __name__ == "__main__":
    main()
