"""003_1aee4b5224ae9675.txt: analysis of the January 2022 Hasakah prison assault."""
from coding import ISIS, Article, actor

SDF = actor("Syrian Democratic Forces", "قوات سوريا الديمقراطية", "non_state_armed_group")
IRAQI_ARMY = actor("Iraqi army", "الجيش", "state_forces")
HASAKAH_WEEK = ("2022-01-20", "2022-01-23")
HASAKAH_NOTE = ("Thursday to the end of that week. The article calls the escape 'last week' and reviews 'the course "
                "of 2021', so it was published in late January 2022; article a896… dates the Hasakah prison storming "
                "to January 2022. The Thursday of the week before late January that fits is 20 January 2022.")


def code(path):
    A = Article(path, "1aee4b5224ae9675")
    source = {
        "title": None, "author": None, "outlet": None, "url": None, "dateline": None, "section": None,
        "published": A.date(
            "2022-01-24", "2022-01-31", "week", "inferred", "والهروب من السجن الأسبوع الماضي",
            note="The prison escape (from a Thursday, inferred 20 January 2022) was 'last week', and the article "
                 "looks back on 'the course of 2021': published in the last week of January 2022."),
        "notes": "Opens with a summary ('أوّل الكلام آخره') whose bullets repeat claims of the body; each is coded "
                 "where it stands.",
    }
    hasakah_date = lambda: A.date(*HASAKAH_WEEK, "week", "inferred", "ابتداء من الخميس وحتى نهاية هذا الأسبوع",
                                  note=HASAKAH_NOTE)
    hasakah_place = lambda words="مركز احتجاز تابع لقوى الأمن الداخلي بمحافظة الحسكة": A.place(
        "SY", "Al-Hasakah", "بمحافظة الحسكة", "al-Hasakah governorate", words=words)
    diyala_date = lambda: A.date("2022-01-17", "2022-01-23", "week", "inferred", "هاجم مقاتلو داعش أيضًا",
                                 note="Told beside the Hasakah assault as part of the same recent wave; its week is inferred.")

    A.claim(1, "attack", "incident",
            "In neighbouring Iraq, ISIS fighters attacked a military post in Diyala near al-Udhaim, north-east of Baghdad, killing 11 Iraqi soldiers (summary bullet).",
            A.stmt("في العراق المجاور هاجم مقاتلو تنظيم داعش موقعًا عسكريًا في محافظة ديالى بالقرب من العظيم شمال شرقي بغداد، مما أسفر عن مقتل 11 جنديًا عراقيًا"),
            date=diyala_date(),
            location=A.place("IQ", "Diyala", "العظيم", "al-Udhaim", words="محافظة ديالى بالقرب من العظيم"),
            figures=[A.figure("killed", "11 جنديًا", 11, 11, "exact", note="Iraqi soldiers")],
            target=IRAQI_ARMY)
    A.claim(2, "attack", "aggregate",
            "A recent wave of ISIS activity across Syria and Iraq shows its strategic patience paying off.",
            A.stmt("تظهر موجة النشاط الأخيرة لتنظيم داعش في أنحاء سوريا والعراق أن صبره الاستراتيجي بدأ يؤتي ثماره", occurrence=2),
            date=A.date("2022-01-17", "2022-01-31", "week", "inferred", "موجة النشاط الأخيرة",
                        note="'Recent', in an article of late January 2022."),
            location=A.place(None, None, "أنحاء سوريا والعراق", "Syria and Iraq"))
    A.claim(3, "prison_break", "incident",
            "From Thursday to the end of the week, ISIS besieged an SDF-run detention centre in Hasakah governorate, detonating several vehicle-borne bombs alongside a complex attack by up to 200 fighters.",
            A.stmt("ابتداء من الخميس وحتى نهاية هذا الأسبوع، فرض مسلحو تنظيم داعش حصارًا على مركز احتجاز تابع لقوى الأمن الداخلي بمحافظة الحسكة تسيطر عليه قوات سوريا الديمقراطية (قسد)، ويقع في شمال شرق سوريا. قام مقاتلو داعش بتفجير العديد من العبوات الناسفة المحمولة على السيارات بالتزامن مع هجوم معقد شنّه ما يصل إلى 200 منهم"),
            date=hasakah_date(), location=hasakah_place(),
            figures=[A.figure("attackers", "ما يصل إلى 200", None, 200, "up_to", unit="fighters")],
            target=SDF)
    A.claim(4, "prison_break", "aggregate",
            "The operation recalls ISIS's 'Breaking the Walls' campaign of more than eight years earlier, which freed senior leaders through a series of prison attacks.",
            A.stmt("بحملة التنظيم المسمّاة «كسر الجدران» التي ساعدت في دفعه إلى الصدارة العالمية منذ أكثر من ثماني سنوات، عندما تمكن من إطلاق سراح كبار القادة من خلال سلسلة من العمليات التي استهدفت السجون"),
            date=A.unknown_date("منذ أكثر من ثماني سنوات",
                                note="More than eight years before January 2022: before early 2014; no bounds given."))
    A.claim(5, "counter_operation", "incident",
            "Reports indicate British and US special forces took part in retaking the prison; fighting went on for several days.",
            A.stmt("وتشير التقارير إلى أن القوات الخاصة البريطانية والأمريكية شاركت في عملية استعادة السجن، حيث استمر القتال لعدة أيام متتالية"),
            date=hasakah_date(), location=hasakah_place("عملية استعادة السجن"),
            perpetrator=None, target=ISIS,
            authority=actor("British and US special forces with the SDF", "القوات الخاصة البريطانية والأمريكية", "foreign_forces"),
            attribution=A.cite("reports (unnamed)", "التقارير", "media", hedge="وتشير التقارير", words="وتشير التقارير"))
    A.claim(6, "prison_break", "incident",
            "Despite conflicting reports, the battle is estimated to have killed 175 ISIS fighters; hundreds were recaptured, an unknown number escaped, dozens of SDF members were killed and tens of thousands of civilians displaced.",
            A.stmt("وعلى الرغم من تضارب التقارير، يُقدّر أن تكون المعركة قد أسفرت عن 175 قتيلا في صفوف داعش، فضلا عن إعادة القبض على المئات، وفرار عدد غير معروف، وقتل العشرات من عناصر قوات سوريا الديمقراطية، ونزوح عشرات الآلاف من المدنيين"),
            date=hasakah_date(), location=hasakah_place("عملية استعادة السجن"),
            figures=[A.figure("killed", "175 قتيلا", 175, 175, "exact", note="ISIS fighters"),
                     A.figure("recaptured", "المئات", None, None, "unknown", note="hundreds"),
                     A.figure("escaped", "عدد غير معروف", None, None, "unknown"),
                     A.figure("killed", "العشرات", None, None, "unknown", note="dozens of SDF members"),
                     A.figure("displaced", "عشرات الآلاف", None, None, "unknown", note="tens of thousands of civilians")],
            attribution=A.cite(None, None, "article", hedge="يُقدّر", words="يُقدّر"))
    A.claim(7, "detention", "situation",
            "The Hasakah prison is believed to hold nearly 3,500 prisoners, most captured while retaking ISIS territory.",
            A.stmt("ويُعتقد أن سجن الحسكة يضم ما يقرب من 3500 سجين، أُسر معظمهم خلال عمليات استعادة الأراضي التي احتلها داعش في ذروة ما يسمى بالخلافة"),
            date=hasakah_date(), location=A.place("SY", "Al-Hasakah", "سجن الحسكة", "Hasakah prison"),
            figures=[A.figure("prisoners_held", "ما يقرب من 3500", 3500, 3500, "about")],
            perpetrator=None, authority=SDF,
            attribution=A.cite(None, None, "article", hedge="يُعتقد", words="ويُعتقد"))
    A.claim(8, "detention", "situation",
            "Overall, more than 12,000 ISIS fighters are believed to be held in a series of prisons across north-east Syria.",
            A.stmt("وبشكل عام، يُعتقد أن أكثر من 12000 من مقاتلي داعش محتجزون في سلسلة من السجون المنتشرة في شمال شرق سوريا"),
            date=A.date("2022-01-24", "2022-01-31", "week", "inferred", "والهروب من السجن الأسبوع الماضي",
                        note="A present-tense figure: as of the publication (late January 2022)."),
            location=A.place("SY", None, "شمال شرق سوريا", "north-east Syria"),
            figures=[A.figure("prisoners_held", "أكثر من 12000", 12000, None, "more_than", note="ISIS fighters")],
            perpetrator=None, authority=SDF,
            attribution=A.cite(None, None, "article", hedge="يُعتقد", words="يُعتقد أن أكثر من 12000"))
    A.claim(9, "detention", "situation",
            "UNICEF reported nearly 850 children, some no older than 12, held in the prison's north wing.",
            A.stmt("وقد أفادت اليونيسف أن قرابة 850 طفلًا، بعضهم لا تزيد أعمارهم عن 12 عامًا، محتجزون في الجناح الشمالي من السجن"),
            date=hasakah_date(), location=A.place("SY", "Al-Hasakah", "الجناح الشمالي من السجن", "the prison's north wing"),
            figures=[A.figure("prisoners_held", "قرابة 850", 850, 850, "about", note="children")],
            perpetrator=None, authority=SDF,
            attribution=A.cite("UNICEF", "اليونيسف", "un", words="وقد أفادت اليونيسف"))
    A.claim(10, "attack", "incident",
             "In neighbouring Iraq, ISIS fighters also attacked an army post in Diyala near al-Udhaim, north-east of Baghdad, killing 11 Iraqi soldiers.",
             A.stmt("وفي العراق المجاور، هاجم مقاتلو داعش أيضًا موقعًا للجيش في محافظة ديالى بالقرب من العظيم شمال شرق بغداد، مما أسفر عن مقتل 11 جنديًا عراقيًا"),
             date=diyala_date(),
             location=A.place("IQ", "Diyala", "العظيم", "al-Udhaim", words="محافظة ديالى بالقرب من العظيم"),
             figures=[A.figure("killed", "11 جنديًا", 11, 11, "exact", note="Iraqi soldiers")],
             target=IRAQI_ARMY)
    A.claim(11, "territorial", "situation",
             "ISIS fighters have used the Hamrin mountains as a safe haven.",
             A.stmt("وقد استخدم مقاتلو داعش جبال حمرين ملاذا آمنا"),
             location=A.place("IQ", None, "جبال حمرين", "Hamrin mountains"))
    A.claim(12, "financing", "situation",
             "ISIS fighters in Iraq, especially in and around Kirkuk, turned to kidnapping for ransom to keep revenue flowing.",
             A.stmt("لجأ مقاتلو داعش في العراق، وخاصة في كركوك وما حولها، إلى الخطف للحصول على فدى للحفاظ على تدفق الإيرادات"),
             location=A.place("IQ", "Kirkuk", "كركوك", "Kirkuk"))
    A.claim(13, "financing", "situation",
             "ISIS relied on contacts in Turkey to launder money and build front companies that keep it financially afloat.",
             A.stmt("كما اعتمد داعش على الاتصالات مع تركيا لتسهيل غسل الأموال وبناء الشركات الواجهة التي تساعد التنظيم على البقاء ماليًا"),
             location=A.place("TR", None, "تركيا", "Turkiya"))
    A.claim(14, "territorial", "incident",
             "ISIS's last piece of territory, near al-Baghuz in Syria, was retaken in spring 2019.",
             A.stmt("منذ استعادة آخر قطعة من أراضيه بالقرب من الباغوز في سوريا في ربيع عام 2019"),
             date=A.date("2019-03-01", "2019-05-31", "month", "stated", "في ربيع عام 2019",
                         note="Spring: March to May."),
             location=A.place("SY", "Deir ez-Zor", "الباغوز", "al-Baghuz",
                              note="al-Baghuz lies in Deir ez-Zor governorate; the article names only the place."))
    A.claim(15, "attack", "aggregate",
             "Since spring 2019 ISIS has largely gone underground, while waging a low-level assassination campaign and roadside bombings.",
             A.stmt("ومنذ ذلك الوقت، توارى التنظيم إلى حد كبير تحت الأرض، على الرغم من شنه حملة اغتيالات على مستوى منخفض فضلا عن هجمات بالقنابل المزروعة على جوانب الطرق"),
             date=A.date("2019-03-01", "2022-01-31", "month", "relative", "ومنذ ذلك الوقت",
                         note="From spring 2019 to the publication (late January 2022)."),
             location=A.place("SY", None, "في سوريا", "Syria", words="بالقرب من الباغوز في سوريا",
                              note="By context: the sentence before speaks of Syria."))
    A.claim(16, "attack", "aggregate",
             "Over 2021 ISIS affiliates carried out large-scale operations in Iraq, Nigeria, Afghanistan and Mozambique, while overall attacks in Syria fell sharply.",
             A.stmt("وعلى مدار عام 2021، نفذت الجماعات التابعة لداعش عمليات واسعة النطاق في العراق ونيجيريا وأفغانستان والموزمبيق، مع انخفاض كبير في الهجمات الإجمالية في سوريا"),
             date=A.date("2021-01-01", "2021-12-31", "year", "stated", "عام 2021"),
             location=A.place(None, None, "العراق ونيجيريا وأفغانستان والموزمبيق", "Iraq, Nigeria, Afghanistan and Mozambique"))
    return A, source
