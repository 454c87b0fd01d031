"""Demo geography: one fictional street office in 雨花区, Changsha, with three communities and their grids.

Used to seed a demo or development database and by tests that need a realistic hierarchy. Everything
here is fictional (names, codes below district level, people, phone numbers); only the district 雨花区
(430111) is real. The main community reproduces the figures of the seed report: 0.45 km², 3,654
households, about 12,000 residents, 15 institutions 驻区单位 and 98 businesses 个体私营户.

How the map is made: the street is drawn as a road network in a local metric frame (metres east/north
of a point in 雨花区). Roads and compound walls are polylines; the faces they enclose are the grids
(each identified by a label point), and a community is the union of its grids. Because every grid
comes from the same noded linework, neighbours share identical vertices, so the grids tile their
community exactly, also after the coordinates are converted to WGS 84 and rounded to 7 decimals (~1 cm).

Coordinates are WGS 84 (RFC 7946). Chinese web maps (GCJ-02 / BD-09) draw them a few hundred metres
off; that is the map's offset, not the data's.

Pure Python (shapely 2, pyproj); deterministic: the only randomness is a seeded random.Random.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from typing import Any

import shapely
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.polygon import orient

COORD_DECIMALS = 7

# Local frame: origin at the south-west corner of the main community (枫溪社区), a district of ordinary city
# blocks in 雨花区; the main community's centre is about (113.0300, 28.1150).
ORIGIN_LON, ORIGIN_LAT = 113.0260, 28.1125
_LOCAL_CRS = f"+proj=tmerc +lat_0={ORIGIN_LAT} +lon_0={ORIGIN_LON} +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"

DISTRICT = {"code": "430111", "name": "雨花区"}
# 9 digits: district + 3-digit street sequence. 050 is a made-up sequence in the 0xx range used for 街道.
STREET = {"code": "430111050", "name": "枫溪街道"}

# ----------------------------------------------------------------------------------------------------
# The map, in metres (x east, y north). Roads run slightly askew and bend, as real ones do; every line
# overshoots the lines it meets by a few metres so that the crossing is a node. Overshoots are dangles
# and enclose nothing.
# ----------------------------------------------------------------------------------------------------

# Named roads: grid and community boundaries along streets, and the base of postal addresses.
ROADS: dict[str, list[tuple[float, float]]] = {
    # west edge of 枫溪 and 荷映
    "锦湖路": [(-30, 650), (-10, 400), (12, 230), (0, 0), (-15, -200), (-25, -520)],
    # north edge of 枫溪 and 樟湾
    "樟林路": [(-80, 540), (260, 557), (520, 567), (790, 547), (1250, 515)],
    # between 枫溪 (north) and 荷映 (south), and the south edge of 樟湾
    "桂湘路": [(-80, 8), (380, -12), (770, -30), (1250, -48)],
    # south edge of 荷映
    "香荷路": [(-80, -410), (400, -440), (830, -452)],
    # the main road between 枫溪 and 樟湾, continuing as the east edge of 荷映
    "楚润路": [(795, 600), (792, 545), (802, 420), (786, 200), (770, -30), (775, -250), (780, -500)],
    # east edge of 樟湾
    "新屯路": [(1170, 580), (1172, 520), (1180, 250), (1150, -45), (1145, -100)],
    # the curving east-west road through 枫溪 and 樟湾
    "枫溪路": [(-40, 300), (200, 318), (420, 300), (600, 290), (1000, 315), (1220, 300)],
    # north-south lane through 枫溪
    "榆林巷": [(255, -40), (262, 300), (270, 600)],
    # north-south road through 枫溪 and 荷映
    "桂苑路": [(520, -480), (520, -40), (510, 300), (525, 600)],
}

# Compound walls and back lanes: boundaries between grids that are not streets (no addresses on them).
WALLS: list[list[tuple[float, float]]] = [
    [(-30, 450), (275, 455)],  # 锦湖苑 | 榆林巷片区
    [(-30, 130), (270, 170)],  # 枫溪家园一期 | 枫溪商业街 (a back lane behind the shops)
    [(650, -40), (658, 295), (655, 600)],  # east of 桂苑路, both sides of 枫溪路: one wall line
    [(980, -60), (985, 320), (995, 580)],  # 樟湾: west and east compounds
    [(-40, -200), (530, -215)],  # 荷映: north and south compounds west of 桂苑路
    [(510, -250), (790, -180)],  # 荷映: east of 桂苑路
]


@dataclass(frozen=True)
class GridSpec:
    label: tuple[float, float]  # a point (metres) inside the face that is this grid
    name: str
    kind: str  # self_managed | property_managed | work_unit | other
    households: int
    registered: int
    floating: int
    buildings: int  # number of buildings 楼栋
    floors: tuple[int, ...]  # floor counts, cycled over the buildings
    institutions: tuple[tuple[str, str], ...]  # (name, kind)
    businesses: int


@dataclass(frozen=True)
class CommunitySpec:
    name: str
    grids: tuple[GridSpec, ...]


G = GridSpec
COMMUNITIES: tuple[CommunitySpec, ...] = (
    # The seed community: a resettlement area 留地安置 (self-managed phases), newer property-managed
    # estates, an old factory compound and a market street.
    # 3,654 households, 12,000 residents, 15 institutions, 98 shops.
    CommunitySpec(
        "枫溪社区",
        (
            G(
                (130, 70),
                "枫溪商业街",
                "other",
                94,
                180,
                150,
                3,
                (12,),
                (("枫溪农贸市场管理处", "other"), ("国网长沙供电公司枫溪供电营业厅", "enterprise")),
                30,
            ),
            G(
                (135, 199),
                "枫溪家园一期",
                "self_managed",
                468,
                1310,
                210,
                12,
                (9, 9, 11),
                (("枫溪社区卫生服务站", "public_institution"),),
                8,
            ),
            G(
                (130, 370),
                "榆林巷片区",
                "self_managed",
                276,
                705,
                230,
                11,
                (5, 6, 4),
                (("中国邮政枫溪营业所", "enterprise"),),
                10,
            ),
            G(
                (125, 500),
                "锦湖苑",
                "property_managed",
                398,
                1060,
                245,
                6,
                (18, 22),
                (("长沙银行枫溪支行", "enterprise"),),
                8,
            ),
            G(
                (387, 81),
                "枫溪家园三期",
                "property_managed",
                512,
                1420,
                310,
                9,
                (18, 18, 26),
                (("长沙市雨花区枫溪小学", "school"), ("枫溪街道综合文化站", "public_institution")),
                10,
            ),
            G(
                (389, 420),
                "樟林雅居",
                "property_managed",
                424,
                1125,
                260,
                7,
                (26, 18),
                (("长沙市雨花区樟林幼儿园", "school"), ("湖南新樟物业服务有限公司", "enterprise")),
                7,
            ),
            G(
                (585, 136),
                "枫溪家园二期",
                "self_managed",
                436,
                1235,
                180,
                12,
                (9, 11),
                (("雨花区老年大学枫溪教学点", "school"),),
                8,
            ),
            G(
                (716, 88),
                "湘华机械厂宿舍",
                "work_unit",
                288,
                790,
                95,
                9,
                (7, 7, 5),
                (("湖南湘华机械有限公司", "enterprise"), ("雨花区消防救援大队枫溪消防站", "government")),
                4,
            ),
            G(
                (587, 451),
                "桂苑小区",
                "property_managed",
                356,
                960,
                215,
                6,
                (18, 24),
                (("长沙市公安局雨花分局枫溪派出所", "government"), ("雨花区税务局枫溪税务所", "government")),
                7,
            ),
            G(
                (727, 480),
                "楚润花园",
                "property_managed",
                402,
                1080,
                240,
                5,
                (28, 32),
                (("雨花区图书馆枫溪分馆", "public_institution"),),
                6,
            ),
        ),
    ),
    CommunitySpec(
        "樟湾社区",
        (
            G(
                (880, 85),
                "樟湾新村",
                "self_managed",
                620,
                1650,
                420,
                14,
                (7, 8),
                (("樟湾社区卫生服务站", "public_institution"),),
                12,
            ),
            G(
                (1074, 106),
                "湘建七公司宿舍",
                "work_unit",
                340,
                930,
                85,
                8,
                (6, 7),
                (("湖南湘建第七工程有限公司", "enterprise"),),
                6,
            ),
            G(
                (895, 470),
                "樟湾嘉园",
                "property_managed",
                530,
                1420,
                330,
                6,
                (26, 30),
                (("长沙市雨花区樟湾小学", "school"),),
                14,
            ),
            G((1084, 420), "新屯公寓", "property_managed", 410, 1050, 310, 4, (30, 33), (), 8),
        ),
    ),
    CommunitySpec(
        "荷映社区",
        (
            G(
                (256, -120),
                "荷映小区",
                "property_managed",
                720,
                1890,
                520,
                10,
                (18, 24, 26),
                (("长沙市雨花区荷映中学", "school"), ("荷映社区卫生服务中心", "public_institution")),
                10,
            ),
            G(
                (250, -331),
                "香荷苑",
                "property_managed",
                650,
                1760,
                380,
                8,
                (26, 30),
                (("中国建设银行长沙香荷支行", "enterprise"),),
                9,
            ),
            G((646, -112), "莲湖安置小区", "self_managed", 560, 1580, 210, 13, (8, 9), (), 8),
            G(
                (648, -347),
                "第四网格",
                "other",
                180,
                420,
                260,
                4,
                (6, 12),
                (("香荷农贸市场", "other"), ("荷映物流园管理处", "enterprise")),
                11,
            ),
        ),
    ),
)
del G

# Functional departments 职能部门; each category is owned by exactly one of them.
DEPARTMENTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("street", "枫溪街道综合行政执法队", ("sanitation", "illegal_construction", "environment")),
    ("street", "枫溪街道社会事务办公室", ("civil_affairs", "livelihood", "culture")),
    ("street", "枫溪街道党建工作办公室", ("party_building", "party_integrity")),
    ("street", "枫溪街道平安建设办公室", ("public_order",)),
    ("district", "雨花区应急管理局", ("production_safety", "fire_safety", "road_safety")),
    ("district", "雨花区住房和城乡建设局", ("urban_construction", "gas_safety")),
    ("district", "雨花区人力资源和社会保障局", ("employment", "social_security")),
    ("district", "雨花区卫生健康局", ("public_health", "family_planning")),
)

# ----------------------------------------------------------------------------------------------------
# People and shops: fictional, drawn from a seeded generator.
# ----------------------------------------------------------------------------------------------------
_SEED = 430111050
# Common Hunan surnames; the most common ones twice, so they come up more often.
_SURNAMES = ("刘 李 王 张 陈 杨 周 黄 彭 罗 谭 邓 唐 曾 胡 易 龙 肖 赵 吴 何 许 贺 蒋 文 廖 欧阳 刘 李 王 陈").split()
_GIVEN = (
    "建 国 华 明 丽 红 军 平 芳 勇 志 伟 娟 敏 静 强 涛 霞 辉 波 燕 艳 "
    "斌 玲 杰 林 婷 鑫 思 雨 晨 佳 浩 宇 涵 慧 兰 春 桂 秋 英 德 福 海 云 湘 沅"
).split()
_MOBILE_PREFIXES = (
    "130 131 132 133 135 136 137 138 139 150 151 152 155 157 158 159 173 177 180 181 182 185 186 187 188 189 191 199"
).split()
_SHOP_WORDS = (
    "好邻居 老街坊 湘味 红星 万家 鑫源 福满 春和 德顺 金桥 阿妹 兴旺 永利 "
    "和兴 百佳 乐购 雅琪 鸿运 一品 四季 盛世 家和 新民 佳佳 顺发"
).split()
_SHOP_TYPES = {
    "retail": (
        "便利店 超市 水果店 烟酒店 五金店 服装店 药房 母婴店 文具店 粮油店 茶叶店 手机店 花店 眼镜店 鞋店"
    ).split(),
    "catering": ("米粉店 面馆 小炒 口味虾 烧烤 早餐店 奶茶店 饺子馆 蒸菜馆 卤味店 快餐店 麻辣烫 臭豆腐").split(),
    "services": ("理发店 洗衣店 图文打印 家政服务部 美甲店 快递驿站 托管中心 摄影工作室 房屋中介 茶馆").split(),
    "repair": "家电维修 电动车维修 开锁修鞋 手机维修 汽车美容 管道疏通".split(),
    "other": "废品回收站 宠物店 彩票店".split(),
}
_SHOP_KINDS = tuple(_SHOP_TYPES)
_SHOP_WEIGHTS = (35, 30, 20, 10, 5)


class _Namer:
    """Names, phone numbers and shop names, unique across the world, from one seeded generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used: set[str] = set()

    def _unique(self, make) -> str:
        while True:
            value = make()
            if value not in self.used:
                self.used.add(value)
                return value

    def person(self) -> str:
        rng = self.rng
        # Two-character given names are the more common.
        return self._unique(lambda: rng.choice(_SURNAMES) + "".join(rng.choices(_GIVEN, k=rng.choice((1, 2, 2)))))

    def phone(self) -> str:
        rng = self.rng
        return self._unique(lambda: rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}")

    def shop(self) -> tuple[str, str]:
        kind = self.rng.choices(_SHOP_KINDS, weights=_SHOP_WEIGHTS)[0]
        rng = self.rng

        def make() -> str:
            owner = rng.choice((rng.choice(_SHOP_WORDS), rng.choice(_SURNAMES) + "记"))
            return owner + rng.choice(_SHOP_TYPES[kind])

        return self._unique(make), kind


# ----------------------------------------------------------------------------------------------------
# Geometry helpers
# ----------------------------------------------------------------------------------------------------


@functools.cache
def _to_wgs84() -> Transformer:
    return Transformer.from_crs(_LOCAL_CRS, "EPSG:4326", always_xy=True)


def _lonlat(x: float, y: float) -> tuple[float, float]:
    lon, lat = _to_wgs84().transform(x, y)
    return round(lon, COORD_DECIMALS), round(lat, COORD_DECIMALS)


def _faces() -> list[Polygon]:
    """The blocks enclosed by roads and walls. unary_union nodes the lines once, so a vertex shared by
    two faces is the very same coordinate in both (no T-junctions: a wall ending on a road puts a node
    in both faces)."""
    lines = [LineString(v) for v in ROADS.values()] + [LineString(v) for v in WALLS]
    noded = shapely.get_parts(shapely.unary_union(lines))
    return list(shapely.get_parts(shapely.polygonize(noded)))


def _to_lonlat_polygon(face: Polygon) -> Polygon:
    # Faces have no holes. Same metric vertex -> same rounded lon/lat, so shared edges stay shared.
    return orient(Polygon([_lonlat(x, y) for x, y in face.exterior.coords]), sign=1.0)


def _geojson(poly: Polygon) -> dict[str, Any]:
    poly = orient(poly, sign=1.0)  # RFC 7946: exterior counter-clockwise
    rings = [poly.exterior, *poly.interiors]
    return {
        "type": "Polygon",
        "coordinates": [[[round(x, COORD_DECIMALS), round(y, COORD_DECIMALS)] for x, y in r.coords] for r in rings],
    }


def _interior_sites(face: Polygon, count: int) -> list[Point]:
    """`count` well-spread points at least 18 m inside the face: building and institution sites."""
    inner = face.buffer(-18)
    minx, miny, maxx, maxy = inner.bounds
    spacing = 40.0
    while True:  # tighten the lattice until enough sites fit
        sites = [
            Point(minx + spacing / 2 + i * spacing, maxy - spacing / 2 - j * spacing)
            for j in range(int((maxy - miny) // spacing) + 1)
            for i in range(int((maxx - minx) // spacing) + 1)
        ]
        sites = [p for p in sites if inner.contains(p)]
        if len(sites) >= count:
            return _spread(sites, count)
        spacing *= 0.8


def _frontage_sites(face: Polygon, count: int) -> list[Point]:
    """`count` points 7 m inside the face along its named roads: shop fronts face the street, not a wall."""
    ring = face.buffer(-7).exterior
    roads = [LineString(v) for v in ROADS.values()]
    steps = int(ring.length // 4)
    sites = [ring.interpolate(i * ring.length / steps) for i in range(steps)]
    on_street = [p for p in sites if min(r.distance(p) for r in roads) < 10]
    return _spread(on_street if len(on_street) >= count else sites, count)


def _spread(items: list, count: int) -> list:
    """Pick `count` items evenly spaced through the list (deterministic, no clustering)."""
    n = len(items)
    return [items[int((i + 0.5) * n / count)] for i in range(count)]


class _Addresses:
    """Postal addresses 门牌号 from the nearest named road: odd numbers on the left, even on the right."""

    def __init__(self) -> None:
        self.roads = {name: LineString(v) for name, v in ROADS.items()}
        self.used: set[str] = set()

    def __call__(self, p: Point) -> str:
        name, road = min(self.roads.items(), key=lambda kv: kv[1].distance(p))
        d = road.project(p)
        a, b = road.interpolate(max(d - 1, 0)), road.interpolate(d + 1)
        left = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x) > 0
        number = 2 * int(d // 12) + (1 if left else 2)
        while f"{name}{number}号" in self.used:
            number += 2
        self.used.add(f"{name}{number}号")
        return f"雨花区{name}{number}号"


def _split_households(total: int, floors: list[int]) -> list[int]:
    """Share the grid's households over its buildings in proportion to their floors; the sum is exact."""
    weight = sum(floors)
    shares = [total * f // weight for f in floors]
    for i in range(total - sum(shares)):
        shares[i % len(shares)] += 1
    return shares


def _point(p: Point) -> list[float]:
    return list(_lonlat(p.x, p.y))


# ----------------------------------------------------------------------------------------------------
# The world
# ----------------------------------------------------------------------------------------------------


def _grid_faces() -> list[list[Polygon]]:
    """For each community, for each grid, its face (metres). Every face must hold exactly one label point."""
    faces = _faces()
    out: list[list[Polygon]] = []
    claimed: set[int] = set()
    for community in COMMUNITIES:
        row = []
        for grid in community.grids:
            hits = [i for i, f in enumerate(faces) if f.contains(Point(grid.label))]
            if len(hits) != 1 or hits[0] in claimed:
                raise ValueError(f"label of {grid.name} must lie in exactly one unclaimed face, got {hits}")
            claimed.add(hits[0])
            row.append(faces[hits[0]])
        out.append(row)
    if len(claimed) != len(faces):
        raise ValueError(f"{len(faces) - len(claimed)} block(s) enclosed by roads belong to no grid")
    return out


def _build_world() -> dict[str, Any]:
    namer = _Namer(_SEED)
    address = _Addresses()
    communities = []
    all_grids: list[Polygon] = []
    for c_index, (spec, faces) in enumerate(zip(COMMUNITIES, _grid_faces(), strict=True), start=1):
        c_code = f"{STREET['code']}{c_index:03d}"
        grids, grid_polys = [], []
        for g_index, (g, face) in enumerate(zip(spec.grids, faces, strict=True), start=1):
            poly = _to_lonlat_polygon(face)
            grid_polys.append(poly)
            floors = [g.floors[i % len(g.floors)] for i in range(g.buildings)]
            sites = _interior_sites(face, g.buildings + len(g.institutions))
            # Institutions take evenly spread sites, buildings the rest, so neither bunches in one corner.
            taken = set(_spread(list(range(len(sites))), len(g.institutions))) if g.institutions else set()
            institution_sites = [p for i, p in enumerate(sites) if i in taken]
            building_sites = [p for i, p in enumerate(sites) if i not in taken]
            # Named with their estate 小区, as registers name them ("锦湖苑3栋"), so that a resident searching for
            # the estate finds its buildings; a grid that is no estate ("第四网格") names them by the community.
            estate = spec.name if g.name.endswith("网格") else g.name
            buildings = [
                {
                    "name": f"{estate}{i}栋",
                    "point": _point(p),
                    "floors": f,
                    "households": hh,
                    "head_name": namer.person(),
                    "head_phone": namer.phone(),
                }
                for i, (p, f, hh) in enumerate(
                    zip(building_sites, floors, _split_households(g.households, floors), strict=True), start=1
                )
            ]
            institutions = [
                {"name": name, "kind": kind, "point": _point(p), "address": address(p)}
                for (name, kind), p in zip(g.institutions, institution_sites, strict=True)
            ]
            businesses = []
            for p in _frontage_sites(face, g.businesses):
                name, kind = namer.shop()
                businesses.append({"name": name, "kind": kind, "point": _point(p), "address": address(p)})
            grids.append(
                {
                    "code": f"{c_code}{g_index:03d}",
                    "name": g.name,
                    "kind": g.kind,
                    "households": g.households,
                    "registered_population": g.registered,
                    "floating_population": g.floating,
                    "geometry": _geojson(poly),
                    "buildings": buildings,
                    "institutions": institutions,
                    "businesses": businesses,
                    "leader": {"name": namer.person(), "phone": namer.phone()},
                }
            )
        all_grids += grid_polys
        # The union of polygons that share exact vertices only re-uses those vertices: nothing new to round.
        communities.append(
            {"code": c_code, "name": spec.name, "geometry": _geojson(shapely.unary_union(grid_polys)), "grids": grids}
        )
    departments = [
        {
            "code": f"{(STREET if level == 'street' else DISTRICT)['code']}D{i:02d}",
            "name": name,
            "level": level,
            "categories": list(categories),
        }
        for i, (level, name, categories) in enumerate(DEPARTMENTS, start=1)
    ]
    return {
        # No district outline: a made-up one would be wrong and a real one is not ours to ship.
        "district": {**DISTRICT, "geometry": None},
        "street": {**STREET, "geometry": _geojson(shapely.unary_union(all_grids))},
        "departments": departments,
        "communities": communities,
    }


def demo_world() -> dict[str, Any]:
    """The demo hierarchy: district → street → three communities → grids, with buildings, institutions,
    businesses and grid leaders. A new structure on every call, identical every time."""
    return _build_world()


def feature_collection(community: dict[str, Any]) -> dict[str, Any]:
    """A community's grids as a GeoJSON FeatureCollection (RFC 7946): the grid import format."""
    scalar = ("code", "name", "kind", "households", "registered_population", "floating_population")
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": g["code"],
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[list(p) for p in ring] for ring in g["geometry"]["coordinates"]],
                },
                "properties": {k: g[k] for k in scalar},
            }
            for g in community["grids"]
        ],
    }
