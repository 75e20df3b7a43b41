#!/usr/bin/env python3
"""Grow the 25-capital trunk (examples/peru/trunk-only/) into the RDNFO-like network of Peru's
provincial capitals (examples/peru/{nodes,links,link_segments,waypoints}.csv), following the
documented method of sources/GROWING.md (section 5 and appendices A and B), with the reviewed
changes listed in SPUR_CHANGES below. Standard library only; run from anywhere:

    python3 examples/peru/grow/grow.py

Every output row keeps a provenance column (`source` for nodes, `basis` for links). The tags are
those of GROWING.md: SOURCED, DERIVED, APPROXIMATED, GUESS.
"""
import csv
import math
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
PERU = HERE.parent
TRUNK = PERU / "trunk-only"
SOURCES = PERU / "sources"

R_KM = 6371.0088  # GROWING.md Appendix C
SNAP_NOTE = "snapped onto the corridor (GROWING.md Appendix A, offset <= 15 km; APPROXIMATED)"

# Ring closures of the bundled 7-ring trunk left out of the default network so that it has the
# three sourced rings (GROWING.md 5.4). GROWING drops the four closure links whole; here the
# capitals on them stay connected and only the stretch that closes each ring is hypothetical
# (which stretch: GUESS, the longest one without a capital, or the one with "highest uncertainty").
RING_BREAKS = {
    ("Puquio", "Chalhuanca"): "Ica-Abancay closure (GROWING 5.4): Puquio-Chalhuanca, the longest stretch",
    ("Ilave", "Mazo Cruz"): "Puno-Moquegua closure (GROWING 5.4): Ilave-Mazo Cruz-Moquegua",
    ("Mazo Cruz", "Moquegua"): "Puno-Moquegua closure (GROWING 5.4): Ilave-Mazo Cruz-Moquegua",
    ("Celendin", "Chachapoyas"): "Cajamarca-Chachapoyas closure (GROWING 5.4, 'highest uncertainty'): Celendin-Chachapoyas",
    ("Huari", "La Union"): "Huaraz-Huanuco closure (GROWING 5.4): Huari-La Union, the middle stretch",
}

# Appendix B attaches each spur to the nearest vertex of its own department. Reviewed by hand
# against the road network (the roads named below); where the straight line crosses a range the
# road does not, the spur follows the road instead. Each change: new attachment, class, reason.
SPUR_CHANGES = {
    "Yauyos": ("San Vicente de Cañete", "coast+andes",
               "the road to Yauyos comes up the Cañete valley (PE-24); Matucana is across the Western Cordillera"),
    "Oyón": ("Huacho", "coast+andes",
             "Oyón is reached up the Huaura valley from Huacho via Sayán and Churín; Canta is across a range"),
    "Canta": ("Lima", "coast+andes",
              "Canta is reached up the Chillón valley from Lima; Matucana is across a range"),
    "Caravelí": ("Chala", "coast+andes",
                 "Caravelí's road comes down to the Panamericana Sur on the coast; Chuquibamba is across the Ocoña canyon"),
    "Oxapampa": ("La Merced", "andes_amazon",
                 "Oxapampa is reached from La Merced (Chanchamayo); Cerro de Pasco is across the Eastern Cordillera (GROWING Appendix B names La Merced)"),
    "Salvación": ("Paucartambo", "andes_amazon",
                  "the Manu road runs Cusco-Paucartambo-Pilcopata-Salvación; Mazuko is across roadless forest (GROWING Appendix B names Paucartambo)"),
}

# The 11 capitals without a road or power-line corridor (GROWING.md 5.1): reachable only by
# hypothetical links (river or air), kept for comparison. Iquitos and Yurimaguas keep the trunk's
# hypothetical Moyobamba-Iquitos corridor; the others hang from the nearest plausible river port.
ROADLESS = {
    "Nauta": ("Iquitos", "amazon_river"),
    "Caballococha": ("Iquitos", "amazon_river"),
    "Requena": ("Iquitos", "amazon_river"),
    "San Antonio del Estrecho": ("Iquitos", "amazon_river"),
    "San Lorenzo": ("Yurimaguas", "amazon_river"),
    "Contamana": ("Pucallpa", "amazon_river"),
    "Atalaya": ("Pucallpa", "amazon_river"),
    "Esperanza": ("Pucallpa", "amazon_river"),
    "Santa María de Nieva": ("Bagua", "amazon"),
}

FACTORS = {"coast": 1.20, "andes": 1.50, "andes_amazon": 1.80, "coast+andes": 1.80,
           "altiplano": 1.25, "amazon": 1.35, "urban": 1.30, "amazon_river": 1.50}

# International nodes (GROWING.md 5.1, SOURCED names): Desaguadero is not a capital.
DESAGUADERO = {"name": "Desaguadero", "region": "Puno", "lat": -16.5644, "lon": -69.0394,
               "alt_m": 3849, "inei": "210402", "attach": "Juli", "class": "altiplano"}
INTERNATIONAL = {"Tacna", "Iñapari", "Desaguadero"}


def fold(text):
    """Accent- and case-insensitive key."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn").lower().strip()


def haversine_km(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * R_KM * math.asin(math.sqrt(h))


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def markdown_table(text, heading):
    """Rows (lists of cells) of the first table after `heading`."""
    start = text.index(heading)
    rows = []
    for line in text[start:].splitlines()[1:]:
        if line.startswith("## "):
            break
        if line.startswith("|") and not set(line) <= set("|-: "):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
    return rows[1:]  # without the header


def main():
    capitals = read_csv(SOURCES / "provincial_capitals.csv")
    by_province = {c["inei"][:4]: c for c in capitals}
    growing = (SOURCES / "GROWING.md").read_text(encoding="utf-8")

    # --- vertices: trunk nodes and corridor towns, matched to capitals by INEI province --------
    vertices = {}  # name -> dict(lat, lon, alt_m, region, source, capital row or None)

    def add_vertex(row, role):
        inei = re.search(r"inei=(\d{6})", row["source"]).group(1)
        capital = by_province.get(inei[:4])
        position = (float(row["lat"]), float(row["lon"]))
        if capital and haversine_km(position, (float(capital["lat"]), float(capital["lon"]))) > 0.2:
            capital = None
        vertices[row["name"]] = {"lat": position[0], "lon": position[1], "alt_m": int(row["alt_m"]),
                                 "region": row["region"], "source": row["source"], "capital": capital,
                                 "role": role}

    for row in read_csv(TRUNK / "nodes.csv"):
        add_vertex(row, "regional")
    for row in read_csv(TRUNK / "waypoints.csv"):
        add_vertex(row, "waypoint")
    name_of = {fold(n): n for n in vertices}

    # --- corridor segments, de-duplicated (a shared duct is one stretch) ----------------------
    hypothetical_links = {(r["a"], r["b"]) for r in read_csv(TRUNK / "links.csv") if r["status"] == "hypothetical"}
    segments = {}  # frozenset(a, b) -> dict
    order = []
    for row in read_csv(TRUNK / "link_segments.csv"):
        key = frozenset((row["from"], row["to"]))
        if key in segments:
            continue
        status = "hypothetical" if (row["link_a"], row["link_b"]) in hypothetical_links else "built"
        basis = f"trunk corridor {row['link_a']}-{row['link_b']} (examples/peru/trunk-only; APPROXIMATED)"
        pair = (row["from"], row["to"])
        if pair in RING_BREAKS or pair[::-1] in RING_BREAKS:
            status = "hypothetical"
            basis += "; left out of the three-ring default: " + RING_BREAKS.get(pair, RING_BREAKS.get(pair[::-1]))
        segments[key] = {"a": row["from"], "b": row["to"], "gc": float(row["great_circle_km"]),
                         "class": row["class"], "factor": float(row["factor"]),
                         "km": float(row["route_km"]), "status": status, "basis": basis}
        order.append(key)

    # --- Appendix A: snap capitals into their corridor stretch --------------------------------
    snapped = defaultdict(list)  # segment key -> [(t, capital row)]
    for dept, capital_text, segment_text, _offset in markdown_table(growing, "## Appendix A"):
        code = re.search(r"\((\d{4})\)", capital_text).group(1)
        capital = by_province[code]
        ends = [name_of[fold(x.replace(" (km 0)", " (km 0)"))] for x in segment_text.split("~")]
        key = frozenset(ends)
        seg = segments[key]
        a, b = vertices[seg["a"]], vertices[seg["b"]]
        # Position along the stretch: projection in a local equirectangular frame.
        k = math.cos(math.radians((a["lat"] + b["lat"]) / 2))
        ax, ay, bx, by = a["lon"] * k, a["lat"], b["lon"] * k, b["lat"]
        px, py = float(capital["lon"]) * k, float(capital["lat"])
        t = ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)
        snapped[key].append((min(max(t, 0.0), 1.0), capital))

    def capital_vertex(capital, role, source_note):
        name = capital["capital"]
        vertices[name] = {"lat": float(capital["lat"]), "lon": float(capital["lon"]),
                          "alt_m": int(capital["alt_m"]), "region": capital["department"].replace(" De ", " de "),
                          "source": capital["source"] + "; " + source_note, "capital": capital,
                          "role": role}
        name_of[fold(name)] = name
        return name

    for key, items in snapped.items():
        seg = segments.pop(key)
        order.remove(key)
        items.sort(key=lambda x: x[0])
        chain = [seg["a"]] + [capital_vertex(c, "snapped", SNAP_NOTE) for _, c in items] + [seg["b"]]
        gcs = [haversine_km((vertices[x]["lat"], vertices[x]["lon"]), (vertices[y]["lat"], vertices[y]["lon"]))
               for x, y in zip(chain, chain[1:])]
        for (x, y), gc in zip(zip(chain, chain[1:]), gcs):
            part = {**seg, "a": x, "b": y, "gc": round(seg["gc"] * gc / sum(gcs), 1),
                    "km": round(seg["km"] * gc / sum(gcs), 1),
                    "basis": seg["basis"] + "; split at snapped capitals, km in proportion to the great circle (corridor total kept)"}
            new_key = frozenset((x, y))
            segments[new_key] = part
            order.append(new_key)

    # --- Appendix B: spurs, with the reviewed changes ------------------------------------------
    spur_rows = markdown_table(growing, "## Appendix B")
    pending = []
    for dept, capital_text, attach, gc, class_text, km, _pop, _nearest in spur_rows:
        code = re.search(r"\((\d{4})\)", capital_text).group(1)
        capital = by_province[code]
        name = capital["capital"]
        if name in SPUR_CHANGES:
            attach, terrain, reason = SPUR_CHANGES[name]
            basis = f"spur: changed from GROWING Appendix B ({capital_text} -> its nearest same-department vertex) to {attach}: {reason}; factor by class; APPROXIMATED"
            pending.append((capital, attach, terrain, None, basis))
        else:
            terrain = class_text.split(" ")[0]
            basis = "spur: nearest same-department vertex (GROWING Appendix B, Prim); factor by class; not a sourced RDNFO segment; APPROXIMATED"
            pending.append((capital, attach, terrain, float(km), basis))
    for capital, *_ in pending:
        capital_vertex(capital, "spur", "spur attachment: see links.csv basis")
    desaguadero = DESAGUADERO
    vertices["Desaguadero"] = {"lat": desaguadero["lat"], "lon": desaguadero["lon"], "alt_m": desaguadero["alt_m"],
                               "region": "Puno", "capital": None, "role": "international",
                               "source": "SOURCED name (GROWING.md 5.1: international node, Azteca); coordinates SOURCED: ubigeo-peru-aumentado@a783fa66 district 210402 (as GROWING.md 5.1 quotes them)"}
    pending.append(({"capital": "Desaguadero"}, "Juli", "altiplano", None,
                    "spur: international node from Juli via Pomata (GROWING.md 5.1; APPROXIMATED)"))
    roadless = {fold(k): v for k, v in ROADLESS.items()}
    for capital in capitals:
        name = capital["capital"]
        if fold(name) in roadless and name not in vertices:
            capital_vertex(capital, "roadless", "no road or power-line corridor (GROWING.md 5.1): hypothetical links only")
            attach, terrain = roadless[fold(name)]
            pending.append((capital, attach, terrain, None,
                            "hypothetical: a roadless Amazon capital (GROWING.md 5.1, INFERRED from 'la Amazonia no comprende la Red Dorsal'); river route to the nearest port; APPROXIMATED"))
    for capital, attach, terrain, km, basis in pending:
        name = capital["capital"]
        attach = name_of[fold(attach)]
        a, b = vertices[attach], vertices[name]
        gc = haversine_km((a["lat"], a["lon"]), (b["lat"], b["lon"]))
        factor = FACTORS[terrain]
        status = "hypothetical" if basis.startswith("hypothetical") else "built"
        key = frozenset((attach, name))
        segments[key] = {"a": attach, "b": name, "gc": round(gc, 1), "class": terrain, "factor": factor,
                         "km": km if km is not None else round(gc * factor, 1), "status": status, "basis": basis}
        order.append(key)

    # --- nodes: capitals, international, junctions (degree != 2 or a change of status) --------
    incident = defaultdict(list)
    for key in order:
        seg = segments[key]
        incident[seg["a"]].append(key)
        incident[seg["b"]].append(key)
    for name, v in vertices.items():
        if v["capital"] is not None or name in INTERNATIONAL or v["role"] == "regional":
            v["node"] = True
        else:
            statuses = {segments[k]["status"] for k in incident[name]}
            v["node"] = len(incident[name]) not in (0, 2) or len(statuses) > 1
    unused = [n for n in vertices if not incident[n]]
    assert not unused, unused

    # --- links: chains of stretches from node to node ----------------------------------------
    links = []
    seen = set()
    for start in vertices:
        if not vertices[start]["node"]:
            continue
        for key in incident[start]:
            if key in seen:
                continue
            chain, current, stretch = [start], start, key
            parts = []
            while True:
                seen.add(stretch)
                seg = segments[stretch]
                forward = seg["a"] == current
                parts.append((seg, forward))
                current = seg["b"] if forward else seg["a"]
                chain.append(current)
                if vertices[current]["node"]:
                    break
                stretch = next(k for k in incident[current] if k != stretch)
            links.append((chain, parts))

    # --- write ----------------------------------------------------------------------------------
    def kind(name, v):
        if v["role"] == "international" and v["capital"] is None:
            return "international"
        if v["role"] == "regional":
            return "regional_capital"
        if v["capital"] is not None:
            return "provincial_capital"
        return "junction"

    node_names = [n for n, v in vertices.items() if v["node"]]
    with open(PERU / "nodes.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["name", "region", "kind", "lat", "lon", "alt_m", "population", "inei", "international", "source"])
        for n in node_names:
            v = vertices[n]
            c = v["capital"]
            w.writerow([n, v["region"], kind(n, v), v["lat"], v["lon"], v["alt_m"],
                        c["population_2020_est"] if c else "", c["inei"] if c else "",
                        "yes" if n in INTERNATIONAL else "",
                        v["source"] + ("" if c is None else "; population_2020_est DERIVED (province: area x 2020 density)")])
    with open(PERU / "waypoints.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["name", "region", "lat", "lon", "alt_m", "source"])
        for n, v in vertices.items():
            if not v["node"]:
                w.writerow([n, v["region"], v["lat"], v["lon"], v["alt_m"], v["source"]])
    with open(PERU / "links.csv", "w", newline="", encoding="utf-8") as f, \
            open(PERU / "link_segments.csv", "w", newline="", encoding="utf-8") as g:
        w = csv.writer(f, lineterminator="\n")
        s = csv.writer(g, lineterminator="\n")
        w.writerow(["a", "b", "great_circle_km", "route_factor", "route_km", "terrain", "corridors", "status", "basis"])
        s.writerow(["link_a", "link_b", "from", "to", "great_circle_km", "class", "factor", "route_km"])
        for chain, parts in links:
            a, b = chain[0], chain[-1]
            gc = sum(p[0]["gc"] for p in parts)
            km = round(sum(p[0]["km"] for p in parts), 1)
            classes = []
            for seg, _ in parts:
                if seg["class"] not in classes:
                    classes.append(seg["class"])
            statuses = {p[0]["status"] for p in parts}
            assert len(statuses) == 1, chain
            bases = []
            for seg, _ in parts:
                if seg["basis"] not in bases:
                    bases.append(seg["basis"])
            w.writerow([a, b, round(gc, 1), f"{km / gc:.3f}", km, "+".join(classes), "", statuses.pop(),
                        f"polyline {'-'.join(chain)}; " + " | ".join(bases)])
            for (seg, forward), (x, y) in zip(parts, zip(chain, chain[1:])):
                s.writerow([a, b, x, y, seg["gc"], seg["class"], f"{seg['factor']:.3f}", seg["km"]])

    built = [(c, p) for c, p in links if p[0][0]["status"] == "built"]
    total = sum(sum(s["km"] for s, _ in p) for _, p in built)
    connected = {n for c, _ in built for n in (c[0], c[-1])}
    capitals_connected = sum(1 for n in connected if vertices[n]["capital"] is not None)
    print(f"{len(node_names)} nodes ({capitals_connected} capitals connected by built links), "
          f"{len(links)} links ({len(built)} built), built route km {total:,.0f}")


if __name__ == "__main__":
    main()
