"""What number an Arabic phrase states, and whether words say a measure: the rule every stated
figure obeys (a figure coded 61 whose words say 16 is refused), written again in Python from the
rule's description (schemas/figure.schema.json, README "Figures and their words") for
scripts/verify-evidence.py, so an auditor checks figures against their words with nothing of
ThreatLedger's Swift code. Standard library only.

read(phrase) -> ("quantity", low, high, qualifier) | ("vague", word) | ("none",)
says(measure, text) -> bool
"""

_QUALIFIERS = [
    (["ما", "لا", "يقل", "عن"], "at_least"), (["لا", "يقل", "عن"], "at_least"), (["علي", "الاقل"], "at_least"),
    (["ما", "يزيد", "علي"], "more_than"), (["ما", "يزيد", "عن"], "more_than"), (["اكثر", "من"], "more_than"),
    (["ما", "يصل", "الي"], "up_to"), (["يصل", "الي"], "up_to"),
    (["ما", "يقارب"], "about"), (["ما", "يقرب", "من"], "about"), (["قرابه"], "about"), (["نحو"], "about"),
    (["حوالي"], "about"), (["زهاء"], "about"), (["تقريبا"], "about"),
]
_UNITS = {
    "واحد": 1, "احد": 1, "واحده": 1, "احدي": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2,
    "ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4, "خمس": 5, "خمسه": 5, "ست": 6, "سته": 6, "سبع": 7, "سبعه": 7,
    "ثمان": 8, "ثماني": 8, "ثمانيه": 8, "تسع": 9, "تسعه": 9, "عشر": 10, "عشره": 10,
    "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "اربعون": 40, "اربعين": 40, "خمسون": 50, "خمسين": 50,
    "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70, "ثمانون": 80, "ثمانين": 80, "تسعون": 90, "تسعين": 90,
}
_HUNDREDS = {"مئه": 100, "مائه": 100, "مئتين": 200, "مئتي": 200, "مئتان": 200, "مائتين": 200, "مائتي": 200, "مائتان": 200}
_COMPOUND = {u + h: uv * hv for u, uv in _UNITS.items() if uv < 10 for h, hv in _HUNDREDS.items()}
# word: (value, how many it stands for alone: 1 singular, 2 dual, 0 a plural that needs a number)
_MULTIPLIERS = {
    "الف": (1000, 1), "الفا": (1000, 1), "الفين": (1000, 2), "الفي": (1000, 2), "الفان": (1000, 2), "الاف": (1000, 0),
    "مليون": (10**6, 1), "مليونا": (10**6, 1), "مليوني": (10**6, 2), "مليونين": (10**6, 2), "مليونان": (10**6, 2),
    "ملايين": (10**6, 0), "مليار": (10**9, 1), "مليارا": (10**9, 1), "مليارين": (10**9, 2), "مليارات": (10**9, 0),
}
_VAGUE = ["عدد", "عددا", "العشرات", "عشرات", "المئات", "مئات", "الاف", "الالاف", "ملايين", "معروف", "بضع", "بضعه"]
_INT64_MAX = 2**63 - 1

MEASURE_STEMS = {
    "killed": ["قتل", "قتيل", "مقتل", "اغتيال", "اغتال", "مصرع", "حتف", "اعدام", "اعدم", "ذبح", "جثث", "جثه", "ضحايا", "الموت",
               "حياه", "استشهاد", "شهيد", "شهداء", "توفي", "وفاه", "نحر"],
    "wounded": ["جرح", "جريح", "اصابه", "اصيب", "مصاب", "اصابات"],
    "casualties": ["ضحايا", "خسائر", "اصابات", "قتل وجرح", "قتلي وجرحي", "قتيل وجريح", "مقتل واصابه"],
    "displaced": ["نزوح", "نازح", "نزح", "تهجير", "مهجر", "هجروا", "لاجئ", "شرد", "تشريد"],
    "kidnapped": ["خطف", "اختطف", "اختطاف", "مختطف", "رهائن", "رهينه", "اسري", "اسير", "احتجز"],
    "arrested": ["قبض", "اعتقال", "اعتقل", "معتقل", "توقيف", "اوقف", "موقوف", "احتجاز", "احتجز", "اسر", "شركاء", "مشتبه", "متهم"],
    "escaped": ["فرار", "فروا", "فارين", "هرب", "هروب", "هارب", "فر "],
    "recaptured": ["قبض", "استعاد", "اعتقال", "اعتقل", "توقيف"],
    "surrendered": ["استسلم", "استسلام", "سلموا انفسهم", "سلم نفسه", "سلمو"],
    "released": ["افرج", "الافراج", "افراج", "سراح", "اخلاء سبيل", "اطلق"],
    "prisoners_held": ["سجين", "سجناء", "سجن", "محتجز", "معتقل", "اسري", "اسير", "تحتجز", "يحتجز", "محبوس", "مخيم", "احتجاز"],
    "fighters": ["مقاتل", "عنصر", "عناصر", "جهادي", "مسلح", "متشدد", "ارهابي", "اعضاء", "منتسب", "مجند", "تجنيد", "جندي", "جنود"],
    "attackers": ["هجوم", "هجمات", "مهاجم", "شنه", "شنوا", "مقاتل", "عناصر", "مسلح", "منهم", "انتحاري"],
    "amount": ["دولار", "يورو", "دينار", "ليره", "ريال", "جنيه", "مليون", "مليار", "اموال", "بيتكوين", "عملات", "اصول", "تمويل", "درهم"],
    "accounts": ["حساب"],
    "attacks": ["عمليه", "عمليات", "هجوم", "هجمات", "تفجير", "غزوه", "اعتداء", "ضربه", "ضربات", "كمين", "غاره"],
    "area": ["كيلومتر", "كلم", "كم2", "كم مربع", "مساحه", "هكتار", "دونم", "ميل"],
}


def normalize(text):
    """Folds digits to ASCII, drops marks, unifies alef, yeh and teh marbuta, splits digits from glued letters."""
    out = []
    for ch in text:
        c = ord(ch)
        if 0x0660 <= c <= 0x0669:
            out.append(chr(c - 0x0660 + 0x30))
        elif 0x06F0 <= c <= 0x06F9:
            out.append(chr(c - 0x06F0 + 0x30))
        elif c == 0x0640 or 0x064B <= c <= 0x065F or c == 0x0670 or 0x200B <= c <= 0x200F or 0x202A <= c <= 0x202E \
                or 0x2066 <= c <= 0x2069 or c in (0x061C, 0xFEFF):
            continue
        elif c in (0x0623, 0x0625, 0x0622, 0x0671):
            out.append("ا")
        elif c == 0x0649:
            out.append("ي")
        elif c == 0x0629:
            out.append("ه")
        elif c in (0x00A0, 0x2009, 0x202F, 0x0009, 0x000A):
            out.append(" ")
        elif c in (0x066C, 0x002C):
            continue
        elif c == 0x066B:
            out.append(".")
        else:
            if 0x30 <= c <= 0x39 and out and 0x0600 <= ord(out[-1]) <= 0x06FF:
                out.append(" ")
            out.append(ch)
    return "".join(out)


def _number_value(token):
    if token.isascii() and token.isdigit():
        value = int(token)
        return value if value <= _INT64_MAX else None
    if token[:1] in "+-" and token[1:].isascii() and token[1:].isdigit():
        value = int(token)
        return value if -_INT64_MAX - 1 <= value <= _INT64_MAX else None
    return _UNITS.get(token) or _HUNDREDS.get(token) or _COMPOUND.get(token)


def _read_number(tokens):
    """(value, largest multiplier) of the first run of number tokens, or None."""
    total = current = 0
    started = False
    multiplier = 1
    for raw in tokens:
        token = raw
        if started and token.startswith("و") and len(token) > 1 and (
                _number_value(token[1:]) is not None or token[1:] in _MULTIPLIERS):
            token = token[1:]
        if token.startswith("ال") and token[2:] in _MULTIPLIERS and started:
            token = token[2:]
        value = _number_value(token)
        if value is not None:
            if token in _HUNDREDS and 0 < current < 10:
                current *= 100
            else:
                current += value
                if current > _INT64_MAX:
                    return None
            started = True
        elif token in _MULTIPLIERS:
            value, count = _MULTIPLIERS[token]
            if current == 0:
                if count == 0:
                    return (total, multiplier) if started else None
                current = count
            total += current * value
            if current * value > _INT64_MAX or total > _INT64_MAX:
                return None
            current = 0
            multiplier = max(multiplier, value)
            started = True
        elif started:
            break
    if not started or total + current > _INT64_MAX:
        return None
    return total + current, multiplier


def _vague_word(tokens):
    for token in tokens:
        if token in _VAGUE or token[1:] in _VAGUE:
            return token
    return None


def _find(words, tokens):
    for start in range(0, len(tokens) - len(words) + 1):
        candidate = list(tokens[start:start + len(words)])
        first = candidate[0]
        if len(first) > len(words[0]) and first[0] in "وب" and first[1:] == words[0]:
            candidate[0] = words[0]
        if candidate == words:
            return start, start + len(words)
    return None


def read(phrase):
    tokens = [t for t in normalize(phrase).split(" ") if t]
    qualifier = None
    for words, name in _QUALIFIERS:
        found = _find(words, tokens)
        if found:
            qualifier = name
            del tokens[found[0]:found[1]]
            break
    is_range = False
    if "بين" in tokens:
        tokens.remove("بين")
        is_range = True
    left, right = tokens, []
    separator = next((i for i, t in enumerate(tokens) if t in ("الي", "-", "–")), None)
    if separator is not None and qualifier != "up_to":
        left, right = tokens[:separator], tokens[separator + 1:]
        is_range = True
    elif is_range:
        glued = next((i for i in range(1, len(tokens)) if tokens[i].startswith("و") and _number_value(tokens[i][1:]) is not None), None)
        if glued is not None:
            left, right = tokens[:glued], [tokens[glued][1:]] + tokens[glued + 1:]
    if is_range and right:
        low, high = _read_number(left), _read_number(right)
        if low is None or high is None:
            word = _vague_word(tokens)
            return ("vague", word) if word else ("none",)
        low_value = low[0]
        shared = low_value * high[1]
        if low[1] == 1 and high[1] > 1 and shared <= _INT64_MAX and shared <= high[0]:
            low_value = shared
        if low_value > high[0]:
            return ("none",)
        return ("quantity", low_value, high[0], "range")
    number = _read_number(tokens)
    if number is None:
        word = _vague_word(tokens)
        return ("vague", word) if word else ("none",)
    value = number[0]
    if qualifier in ("at_least", "more_than"):
        return ("quantity", value, None, qualifier)
    if qualifier == "up_to":
        return ("quantity", None, value, "up_to")
    return ("quantity", value, value, qualifier or "exact")


def says(measure, text):
    stems = MEASURE_STEMS.get(measure)
    if stems is None:
        return True
    normalized = normalize(text)
    return any(stem in normalized for stem in stems)


def figure_problem(figure, statement):
    """What is wrong with a stated figure's words, or None (the rule every write applies)."""
    evidence = figure.get("evidence") or {}
    quote = evidence.get("quote")
    if quote is None:
        return None
    if statement and evidence.get("article_sha256") == statement.get("article_sha256"):
        s, e = evidence["position"]["start"], evidence["position"]["end"]
        ss, se = statement["position"]["start"], statement["position"]["end"]
        if s < ss or e > se:
            return f"its words {s}–{e} lie outside the claim's statement ({ss}–{se})"
    if figure.get("basis") != "stated":
        return None
    words = quote.get("exact", "")
    low, high, qualifier = figure.get("low"), figure.get("high"), figure.get("qualifier", "")
    reading = read(words)
    if reading[0] == "quantity":
        if reading != ("quantity", low, high, qualifier):
            return f"it is coded {qualifier} (low {low}, high {high}) but its words «{words}» say {reading[3]} (low {reading[1]}, high {reading[2]})"
    elif reading[0] == "vague":
        if qualifier != "unknown" or low is not None or high is not None:
            return f"its words «{words}» give an unknown amount ({reading[1]}) but it is coded {qualifier}"
    else:
        return f"its words «{words}» state no number"
    window = quote.get("prefix", "") + " " + words + " " + quote.get("suffix", "")
    if says(figure.get("measure", ""), window):
        return None
    if statement and says(figure.get("measure", ""), statement.get("quote", {}).get("exact", "")):
        return None
    return f"its words and its statement do not speak of {figure.get('measure')}"
