"""001_5a9ba17097eb5f86.txt: Rozana, 15 August 2020, on ISIS financing in Syria."""
from coding import ISIS, Article, actor

DOJ = actor("US Department of Justice", "وزارة العدل الأميركية", "government")
FAROUK = ("Amr Farouk, researcher on terrorist groups", "عمرو فاروق", "research")
REGIME = actor("Syrian government forces", "قوات النظام", "state_forces")


def code(path):
    A = Article(path, "5a9ba17097eb5f86")
    source = {
        "title": "تمويل \"داعش\" لم يكسر شوكة التنظيم في سوريا؟", "author": "مالك الحافظ",
        "outlet": "روزنة", "url": None, "dateline": None, "section": "سياسي",
        "published": A.date("2020-08-15", "2020-08-15", "day", "stated", "15 أغسطس 2020"),
        "notes": "The byline line reads 'سياسي | 15 أغسطس 2020 | مالك الحافظ'. The outlet is named by the article "
                 "itself ('ما أوردته \"روزنة\"', 'خلال حديث لـ \"روزنة\"'); no URL is given.",
    }
    farouk = lambda hedge=None: A.cite(*FAROUK, hedge=hedge, words="الباحث المتخصص في شؤون الجماعات الإرهابية، عمرو فاروق")

    A.claim(1, "territorial", "incident",
            "The US declared victory over ISIS in north-east Syria nearly two years before the article.",
            A.stmt("بعد قرابة العامين من إعلان النصر الأميركي على تنظيم \"داعش\" الإرهابي في الشمال الشرقي من سوريا"),
            date=A.date("2018-08-15", "2019-08-14", "year", "relative", "بعد قرابة العامين",
                        note="'Nearly two years' before 15 August 2020: within the year before 15 August 2019."),
            location=A.place("SY", None, "الشمال الشرقي من سوريا", "north-east Syria"),
            authority=actor("United States", "الأميركي", "foreign_forces"))
    A.claim(2, "attack", "incident",
            "Local Facebook pages said ISIS attacked a government forces position near al-Mayadin on Friday 14 August 2020, its third such attack.",
            A.stmt("وذكرت صفحات محلية على \"فيسبوك\"، إن تنظيم \"داعش\" شن هجوماً على أحد مواقع قوات النظام قرب مدينة الميادين هو الثالث يوم أمس الجمعة"),
            date=A.date("2020-08-14", "2020-08-14", "day", "relative", "يوم أمس الجمعة",
                        note="'Yesterday, Friday' before Saturday 15 August 2020."),
            location=A.place("SY", "Deir ez-Zor", "مدينة الميادين", "al-Mayadin",
                             note="al-Mayadin lies in Deir ez-Zor governorate; the article names only the town."),
            target=REGIME,
            attribution=A.cite("local Facebook pages", "صفحات محلية على \"فيسبوك\"", "social_media",
                               words="وذكرت صفحات محلية على \"فيسبوك\""))
    A.claim(3, "attack", "incident",
            "ISIS fighters hit a government military post near al-Rahba castle in the al-Mayadin desert with a guided missile, disabling a tank and killing and wounding a number of soldiers.",
            A.stmt("وأضافت أن عناصر التنظيم استهدفوا بصاروخ موجه نقطة عسكرية لقوات النظام في محيط قلعة الرحبة ببادية الميادين، أسفر عن إعطاب دبابة ومقتل وجرح عدد من عناصر النظام"),
            date=A.date("2020-08-14", "2020-08-14", "day", "relative", "يوم أمس الجمعة",
                        note="The same attack as the sentence before ('وأضافت'): yesterday, Friday 14 August 2020."),
            location=A.place("SY", "Deir ez-Zor", "قلعة الرحبة ببادية الميادين", "al-Rahba castle, al-Mayadin desert"),
            figures=[A.figure("casualties", "عدد من عناصر النظام", None, None, "unknown",
                              note="killed and wounded together, number not given")],
            target=REGIME,
            attribution=A.cite("local Facebook pages", "صفحات محلية على \"فيسبوك\"", "social_media",
                               words="وذكرت صفحات محلية على \"فيسبوك\""))
    A.claim(4, "attack", "aggregate",
            "ISIS has recently kept up activity in the Syrian desert (Homs and eastern Deir ez-Zor countryside) against government forces and Iran-aligned factions, and less against the SDF.",
            A.stmt("هذا ويحافظ التنظيم مؤخراً على نشاطه في البادية السورية (أرياف حمص ودير الزور الشرقية)، الذي يستهدف من خلالها قوات النظام السوري والفصائل التابعة للنفوذ الإيراني، وبدرجة أقل قوات سوريا الديمقراطية \"قسد\" في مناطق من شمال شرق سوريا"),
            date=A.unknown_date("مؤخراً", note="'Recently', before 15 August 2020."),
            location=A.place("SY", None, "البادية السورية", "the Syrian desert (Badia)"),
            target=actor("Syrian government forces, Iran-aligned factions, SDF", "قوات النظام السوري والفصائل التابعة للنفوذ الإيراني", "state_forces"))
    A.claim(5, "financing", "situation",
            "The US Department of Justice confirmed that trading in digital currencies is ISIS's main source of funding besides gold.",
            A.stmt("بأن التجارة بالعملات الرقمية هي أهم مصادر تمويل \"داعش\" إلى جانب مادة الذهب"),
            attribution=A.cite("US Department of Justice", "وزارة العدل الأميركية", "government",
                               words="وزارة العدل الأميركية، أجابت عن هذا التساؤل"))
    A.claim(6, "financing_seizure", "incident",
            "US officials said Washington seized millions of dollars in digital currencies relied on by militant groups including al-Qaeda and ISIS.",
            A.stmt("بأن واشنطن استولت على ملايين الدولارات من العملات الرقمية، التي اعتمدت عليها جماعات متشددة، بما في ذلك \"تنظيم القاعدة\"، وتنظيم \"داعش\"، لتمويل مخططاتها"),
            location=A.place("US", None, "واشنطن", "Washington", note="The acting authority's country."),
            figures=[A.figure("amount", "ملايين الدولارات", None, None, "unknown", unit="USD", currency="USD")],
            perpetrator=None, target=actor("al-Qaeda and ISIS", "\"تنظيم القاعدة\"، وتنظيم \"داعش\"", "isis"), authority=DOJ,
            attribution=A.cite("officials of the US Department of Justice", "مسؤولون في الوزارة الأميركية", "official",
                               words="وهو ما أشار إليه مسؤولون في الوزارة الأميركية"))
    A.claim(7, "financing", "situation",
            "The seized currencies were to fund schemes including sales of fake personal protective equipment against the new coronavirus.",
            A.stmt("وقال مسؤولو الوزارة إن هذه العملات كانت ستستخدم لمخططات عديدة، منها بيع معدات سلامة شخصية زائفة، للوقاية من فيروس \"كورونا المستجد\""),
            attribution=A.cite("officials of the US Department of Justice", "مسؤولو الوزارة", "official", words="وقال مسؤولو الوزارة"))
    A.claim(8, "financing_seizure", "incident",
            "John Demers, head of the Justice Department's National Security Division, said the department seized about two million dollars.",
            A.stmt("و ذكر رئيس دائرة الأمن القومي بوزارة العدل، جون ديمرز، أن الوزارة صاردت نحو مليوني دولار"),
            location=A.place("US", None, None, note="The acting authority's country."),
            figures=[A.figure("amount", "نحو مليوني دولار", 2000000, 2000000, "about", unit="USD", currency="USD")],
            perpetrator=None, authority=DOJ,
            attribution=A.cite("John Demers, head of the National Security Division, US Department of Justice",
                               "رئيس دائرة الأمن القومي بوزارة العدل، جون ديمرز", "official",
                               words="رئيس دائرة الأمن القومي بوزارة العدل، جون ديمرز"),
            notes="The article writes 'صاردت' (a typo for 'صادرت', seized); quoted as written.")
    A.claim(9, "financing", "situation",
            "Researcher Amr Farouk considers that ISIS has several funding sources, including Bitcoin and raw gold, that may let it regain strength.",
            A.stmt("أن تنظيم داعش لديه مصادر تمويل عدة، ومن بينها العملة الرقمية \"البيتكوين\" والذهب الخام، قد تمكنه من استعادة قوته خلال الفترة المقبلة"),
            attribution=farouk())
    A.claim(10, "territorial", "situation",
             "Despite coalition strikes, ISIS lost its 'state' project and most of the territory it held in Syria and Iraq.",
             A.stmt("رغم الضربات المتلاحقة التي تعرضها لها من قبل قوات التحالف الدولي، وسقوط مشروع \"دولته\" وخسارته الفادحة للجغرافية السياسية المتمركز فيها داخل سوريا والعراق"),
             location=A.place(None, None, "سوريا والعراق", "Syria and Iraq"),
             attribution=farouk())
    A.claim(11, "financing", "situation",
             "Financial support comes first among the factors that keep ISIS alive: it relies on multiple funding sources.",
             A.stmt("وأشار إلى أن الدعم المالي، يأتي في مقدمة تلك العوامل؛ حيث يعتمد \"داعش\" على مصادر تمويل متعددة تمكنه من الاستمرار في المواجهة، وإعادة ترتيب هيكله التنظيمي، حتى لو سقط مشروع دولته على أرض الواقع، وفق تقديره"),
             attribution=A.cite(*FAROUK, hedge="وفق تقديره", words="وفق تقديره"))
    A.claim(12, "financing", "situation",
             "ISIS trades Bitcoin, took large quantities of raw gold from Syrian and Iraqi mines, and kept oil-trade money, moving the proceeds to some European countries through intermediaries.",
             A.stmt("وأوضح بأن داعش يجيد الاتجار بالعملة الرقمية \"البيتكوين\"، كما أن التنظيم كان استحوذ على كميات كبيرة من الذهب الخام التي استولى عليها من المناجم السورية والعراقية، فضلاً عن تمكنه من الاحتفاظ بكميات من الأموال التي حصل عليها نتيجة الاتجار في المواد النفطية، وقام بتحويل عائدها لبعض دول أوروبا، عبر وسطاء"),
             attribution=farouk())
    unsc = A.cite("UN Security Council report", "تقرير لمجلس الأمن الدولي", "un", words="أفاد تقرير لمجلس الأمن الدولي")
    A.claim(13, "attack", "aggregate",
             "A UN Security Council report early in 2020 said ISIS, after losing its territory, was regrouping in Syria and Iraq and carrying out increasing attacks.",
             A.stmt("بأن التنظيم الإرهابي وبعد خسارة أراضيه، بدأ في ترتيب نفسه في كل من سوريا والعراق، حيث نفذ هجمات على نحو متزايد"),
             date=A.date("2020-01-01", "2020-03-31", "month", "relative", "ومطلع العام الجاري",
                         note="The report's date: early in the year of publication (2020). The attacks it describes precede it."),
             location=A.place(None, None, "سوريا والعراق", "Syria and Iraq"), attribution=unsc)
    A.claim(14, "prison_break", "aggregate",
             "The same report said ISIS planned to free its fighters from detention, exploiting weak security in both countries.",
             A.stmt("وخطط لإخراج مقاتلي التنظيم من المعتقلات، من خلال استغلاله ضعف الظروف الأمنية في كلا البلدين"),
             date=A.date("2020-01-01", "2020-03-31", "month", "relative", "ومطلع العام الجاري",
                         note="The report's date (early 2020); plans, not a break-out."),
             location=A.place(None, None, "كلا البلدين", "both countries (Syria and Iraq)"), attribution=unsc)
    A.claim(15, "financing", "situation",
             "By one of the most conservative assessments of UN member states, ISIS still has 100 million dollars in its treasury.",
             A.stmt("فإن تنظيم داعش لا يزال لديه 100 مليون دولار في خزينته"),
             date=A.date("2020-01-01", "2020-03-31", "month", "relative", "ومطلع العام الجاري",
                         note="As of the UN Security Council report, early 2020."),
             figures=[A.figure("amount", "100 مليون دولار", 100000000, 100000000, "exact", unit="USD", currency="USD",
                               note="ISIS treasury")],
             attribution=A.cite("UN Security Council report (member states' assessment)", "أحد التقييمات الأكثر تحفظاً من قبل الدول الأعضاء في مجلس الأمن",
                                "un", hedge="وفقا لأحد التقييمات الأكثر تحفظاً", words="وفقا لأحد التقييمات الأكثر تحفظاً"))
    A.claim(16, "attack", "aggregate",
             "An International Crisis Group report said ISIS operations increased as the world was absorbed by the coronavirus pandemic.",
             A.stmt("إلى زيادة عمليات تنظيم \"داعش\" منتهزا الفرصة في ظل انشغال العالم وتوقف جميع أنشطته، ومنها الأمنية والعسكرية، إثر مواجهة جائحة \"كورونا المستجد\""),
             date=A.date("2020-01-01", "2020-08-15", "month", "inferred", "إثر مواجهة جائحة \"كورونا المستجد\"",
                         note="During the coronavirus pandemic (2020) and before the publication."),
             attribution=A.cite("International Crisis Group", "مجموعة الأزمات الدولية", "research",
                                words="أشار تقرير لـ \"مجموعة الأزمات الدولية\""))
    A.claim(17, "counter_operation", "aggregate",
             "Four years of war on ISIS cost it most of its first- and second-rank leaders.",
             A.stmt("وإذا كانت حرب السنوات الأربع على \"داعش\" قد أدت إلى خسارته معظم قيادات الصف الأول والثاني"),
             perpetrator=None, target=ISIS)
    A.claim(18, "strength_estimate", "situation",
             "A US Department of Defense report puts ISIS at 14,000 to 18,000 fighters in Iraq and Syria alone, about 3,000 of them foreign.",
             A.stmt("و يشير تقرير لوزارة الدفاع الأميركية إلى وجود ما بين 14 إلى 18 ألف مقاتل يتبعون التنظيم في العراق وسوريا فقط، من بينهم نحو 3 آلاف مقاتل أجنبي"),
             location=A.place(None, None, "العراق وسوريا", "Iraq and Syria"),
             figures=[A.figure("fighters", "ما بين 14 إلى 18 ألف", 14000, 18000, "range", unit="fighters"),
                      A.figure("fighters", "نحو 3 آلاف", 3000, 3000, "about", unit="fighters", note="foreign fighters",
                               part_of=0)],
             attribution=A.cite("US Department of Defense report", "تقرير لوزارة الدفاع الأميركية", "government",
                                words="يشير تقرير لوزارة الدفاع الأميركية"))
    return A, source
