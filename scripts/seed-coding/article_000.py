"""000_a896289027671bb9.txt: an overview of ISIS in early 2023, citing European Eye on Radicalization."""
from coding import ISIS, Article, actor

US = actor("United States", "الولايات المتحدة", "foreign_forces")
SDF = actor("Syrian Democratic Forces", "قوات سوريا الديمقراطية", "non_state_armed_group")
EER = ("European Eye on Radicalization", "عين أوروبية على التطرف", "research")
PUBLISHED = "2023-02-24"


def code(path):
    A = Article(path, "a896289027671bb9")
    source = {
        "title": None, "author": None, "outlet": None, "url": None, "dateline": None, "section": None,
        "published": A.date(
            "2023-02-21", "2023-02-27", "week", "inferred", "قبل أسبوعين وتحديدًا في 10 فبراير/شباط 2023",
            note="'Two weeks ago, namely on 10 February 2023': published about 24 February 2023; 'two weeks' is "
                 "approximate, so the week around it. The article also reports 17 February 2023, which it precedes."),
        "notes": "The article names no outlet, author or headline; its first line is the lede.",
    }
    eer = lambda words, hedge=None, n=1: A.cite(*EER, hedge=hedge, words=words, occurrence=n)

    A.claim(1, "territorial", "incident", "ISIS was officially defeated in Syria three years before the article.",
            A.stmt("رغم هزيمته رسميًا في سوريا قبل ثلاثة أعوام"),
            date=A.date("2020-01-01", "2020-12-31", "year", "relative", "قبل ثلاثة أعوام",
                        note="Three years before the publication (about 24 February 2023): 2020."),
            location=A.place("SY", None, "سوريا", "Suriya"), perpetrator=ISIS, target=None, authority=None)
    A.claim(2, "counter_operation", "incident",
            "A US raid with the SDF in Syria on 10 February 2023 killed senior ISIS official Ibrahim al-Qahtani.",
            A.stmt("في 10 فبراير/شباط 2023، أعلنت الولايات المتحدة شنها بالتعاون مع قوات سوريا الديمقراطية، غارة في سوريا، أسفرت عن مقتل إبراهيم القحطاني، المسؤول المهم في تنظيم داعش"),
            date=A.date("2023-02-10", "2023-02-10", "day", "stated", "في 10 فبراير/شباط 2023"),
            location=A.place("SY", None, "سوريا", "Suriya", words="غارة في سوريا"),
            figures=[A.figure("killed", "مقتل إبراهيم القحطاني", 1, 1, "exact", basis="inferred",
                              note="One named ISIS official killed: Ibrahim al-Qahtani.")],
            perpetrator=None, target=actor("Ibrahim al-Qahtani", "إبراهيم القحطاني", "isis"),
            authority=actor("United States with the SDF", "الولايات المتحدة ... بالتعاون مع قوات سوريا الديمقراطية", "coalition"),
            attribution=A.cite("United States", "الولايات المتحدة", "government", words="أعلنت الولايات المتحدة"))
    A.claim(3, "arrest", "incident",
            "A US operation in eastern Syria on 21 January 2023 captured two ISIS members and an associate of one of them.",
            A.stmt("وفي 21 يناير/كانون الثاني 2023، أسفرت عملية أمريكية في شرق سوريا عن القبض على اثنين من عناصر تنظيم داعش، هما عبد الله حميد مصلح المداد، المعروف أيضًا باسم أبو حمزة السوري، وحسام حميد المصلح المداد الخير، بالإضافة إلى أحد شركاء هذا الأخير"),
            date=A.date("2023-01-21", "2023-01-21", "day", "stated", "21 يناير/كانون الثاني 2023"),
            location=A.place("SY", None, "شرق سوريا", "sharq Suriya"),
            figures=[A.figure("arrested", "اثنين من عناصر تنظيم داعش", 2, 2, "exact",
                              note="Abdullah Hamid Muslih al-Maddad (Abu Hamza al-Suri) and Hussam Hamid al-Muslih al-Maddad al-Khair"),
                     A.figure("arrested", "أحد شركاء", 1, 1, "exact", note="an associate of the latter")],
            perpetrator=None, target=ISIS, authority=US)
    A.claim(4, "arrest", "incident",
            "Days before 21 January 2023, a joint US–SDF operation in eastern Syria captured an ISIS official said to plan and facilitate operations.",
            A.stmt("قبلها بأيام، أسفرت عملية أخرى مشتركة بين الولايات المتحدة وقوات سوريا الديمقراطية في شرق سوريا عن القبض على مسؤول في تنظيم داعش قيل إنه متورِّط في تخطيط وتسهيل عمليات داعش داخل المنطقة وخارجها"),
            date=A.date("2023-01-14", "2023-01-20", "week", "relative", "قبلها بأيام",
                        note="'Days before' the operation of 21 January 2023: the week before it."),
            location=A.place("SY", None, "شرق سوريا", "sharq Suriya"),
            figures=[A.figure("arrested", "القبض على مسؤول", 1, 1, "exact", basis="inferred",
                              note="'an official' (singular): one person")],
            perpetrator=None, target=ISIS, authority=actor("United States with the SDF", "الولايات المتحدة وقوات سوريا الديمقراطية", "coalition"),
            attribution=A.cite(None, None, "article", hedge="قيل إنه", words="قيل إنه"),
            notes="The hedge 'قيل إنه' (it was said) applies to the official's role, not to the arrest.")
    A.claim(5, "arrest", "aggregate",
            "In December 2022 US forces and the SDF arrested a number of ISIS members in a series of raids in north-east Syria.",
            A.stmt("وفي ديسمبر/كانون الأول الماضي، ألقت القوات الأمريكية وقوات سوريا الديمقراطية القبض على عدد من عناصر “داعش”، خلال سلسلة من الغارات في شمال شرق سوريا"),
            date=A.date("2022-12-01", "2022-12-31", "month", "relative", "وفي ديسمبر/كانون الأول الماضي",
                        note="'Last December' before a February 2023 publication: December 2022."),
            location=A.place("SY", None, "شمال شرق سوريا", "shamal sharq Suriya"),
            figures=[A.figure("arrested", "عدد من عناصر", None, None, "unknown")],
            perpetrator=None, target=ISIS, authority=actor("US forces and the SDF", "القوات الأمريكية وقوات سوريا الديمقراطية", "coalition"))
    A.claim(6, "attack", "aggregate", "ISIS keeps attacking at a steady pace on both sides of the Iraq–Syria border.",
            A.stmt("يواصل “داعش” هجماته بوتيرة ثابتة على جانبي الحدود العراقية السورية"),
            location=A.place(None, None, "جانبي الحدود العراقية السورية", "both sides of the Iraq–Syria border"))
    A.claim(7, "attack", "aggregate",
            "In February 2023 ISIS escalated in Syria, largely against soft targets: Syrians gathering desert truffles.",
            A.stmt("ففي فبراير/شباط 2023 شن تصعيدًا خطيرًا في سوريا، مستهدفا هجمات إلى حد كبير أهدافًا ضعيفة للغاية: السوريين الذين يصطادون الكمأة في الصحراء"),
            date=A.date("2023-02-01", "2023-02-28", "month", "stated", "فبراير/شباط 2023"),
            location=A.place("SY", None, "سوريا", "Suriya"),
            target=actor("truffle hunters", "السوريين الذين يصطادون الكمأة", "civilians"))
    A.claim(8, "attack", "incident",
            "On 11 February 2023 ISIS kidnapped about 75 truffle hunters outside Palmyra, killing at least 16; 25 were released and the rest are missing.",
            A.stmt("ففي 11 فبراير/شباط 2023، اختطف مقاتلو داعش قرابة 75 صيادًا للكمأة خارج مدينة تدمر، مما أدى إلى مقتل ما لا يقل عن 16 شخصًا، بينهم امرأة وضباط أمن. وفيما أُفرج عن 25 شخصًا، لا يزال الباقون في عداد المفقودين"),
            date=A.date("2023-02-11", "2023-02-11", "day", "stated", "11 فبراير/شباط 2023"),
            location=A.place("SY", "Homs", "تدمر", "Tadmur (Palmyra)", words="خارج مدينة تدمر",
                             note="Palmyra lies in Homs governorate; the article names only the town."),
            figures=[A.figure("kidnapped", "قرابة 75", 75, 75, "about", note="truffle hunters"),
                     A.figure("killed", "ما لا يقل عن 16", 16, None, "at_least", note="including a woman and security officers"),
                     A.figure("released", "25 شخصًا", 25, 25, "exact")],
            target=actor("truffle hunters", "صيادًا للكمأة", "civilians"))
    A.claim(9, "attack", "incident",
            "Six days later (17 February 2023) ISIS attacked truffle hunters outside al-Sukhnah and clashed with forces at a checkpoint, killing at least 61 civilians and seven soldiers.",
            A.stmt("بعدها بستة أيام، هاجم “داعش” مجموعة من صيادي الكمأة خارج بلدة السخنة الصحراوية، على الطريق السريع من تدمر، واشتبك مع القوات عند نقطة تفتيش أمنية قريبة، مما أدى إلى مقتل ما لا يقل عن 61 مدنيًا، وسبعة جنود"),
            date=A.date("2023-02-17", "2023-02-17", "day", "relative", "بعدها بستة أيام",
                        note="Six days after 11 February 2023."),
            location=A.place("SY", "Homs", "السخنة", "al-Sukhnah", words="خارج بلدة السخنة الصحراوية",
                             note="al-Sukhnah lies in Homs governorate; the article names only the town."),
            figures=[A.figure("killed", "ما لا يقل عن 61", 61, None, "at_least", note="civilians"),
                     A.figure("killed", "سبعة جنود", 7, 7, "exact", note="soldiers; 'at least' may govern this number too")],
            target=actor("truffle hunters and security forces", "صيادي الكمأة ... القوات", "civilians"))
    A.claim(10, "attack", "aggregate",
             "Smaller attacks around the area killed 12 more people: soldiers, pro-government fighters and civilians.",
             A.stmt("وأسفرت هجمات أصغر في محيط المنطقة عن مقتل 12 شخصًا آخرين، بينهم جنود ومقاتلون موالون للحكومة ومدنيون"),
             date=A.date("2023-02-01", "2023-02-28", "month", "inferred", "ففي فبراير/شباط 2023 شن تصعيدًا خطيرًا",
                         note="Told as part of the February 2023 escalation; the article gives no date of its own."),
             location=A.place("SY", "Homs", "محيط المنطقة", "the surrounding area",
                              note="Around Palmyra and al-Sukhnah (Homs governorate), by context."),
             figures=[A.figure("killed", "12 شخصًا", 12, 12, "exact")])
    A.claim(11, "prison_break", "incident",
             "In January 2022 ISIS gunmen stormed a prison in the north-eastern city of Hasakah.",
             A.stmt("يناير/كانون الثاني 2022، عندما اقتحم مسلحون من “داعش” سجنًا في مدينة الحسكة الشمالية الشرقية"),
             date=A.date("2022-01-01", "2022-01-31", "month", "stated", "يناير/كانون الثاني 2022"),
             location=A.place("SY", "Al-Hasakah", "مدينة الحسكة", "al-Hasakah"),
             target=actor("prison in Hasakah", "سجنًا في مدينة الحسكة", "prisoners"))
    A.claim(12, "prison_break", "aggregate",
             "ISIS calls its prison-storming campaign 'Breaking the Walls' and used it in the years before declaring the caliphate in 2014.",
             A.stmt("فإن تنظيم “داعش” يطلق على حملة اقتحام السجون اسم “كسر الجدران”، مشيرًا إلى أنه استخدمها لإحداث تأثير مدمر خلال فترة صعوده في السنوات التي سبقت إعلان “الخلافة” في عام 2014"),
             date=A.unknown_date("في السنوات التي سبقت إعلان “الخلافة” في عام 2014",
                                 note="Some years before 2014; the article gives no bounds."),
             attribution=eer("وبحسب موقع “عين أوروبية على التطرف”", hedge="بحسب"))
    A.claim(13, "prison_break", "aggregate",
             "The new 'Breaking the Walls' campaign, begun since ISIS lost its territory, aims to free more than 10,000 ISIS prisoners held by the SDF in Syria.",
             A.stmt("وركزت حملة “كسر الجدران” الجديدة، التي بدأت منذ أن فقد داعش سيطرته على الأراضي، على إطلاق سراح أكثر من 10 آلاف سجين من “داعش” تحتجزهم قوات سوريا الديمقراطية في معسكرات مؤقتة بسوريا"),
             location=A.place("SY", None, "سوريا", "Suriya", words="معسكرات مؤقتة بسوريا"),
             target=actor("SDF-run detention camps", "معسكرات مؤقتة", "prisoners"))
    A.claim(14, "detention", "situation",
             "The SDF holds more than 10,000 ISIS prisoners in temporary camps in Syria.",
             A.stmt("أكثر من 10 آلاف سجين من “داعش” تحتجزهم قوات سوريا الديمقراطية في معسكرات مؤقتة بسوريا"),
             date=A.date("2023-02-21", "2023-02-27", "week", "inferred", "قبل أسبوعين وتحديدًا في 10 فبراير/شباط 2023",
                         note="A present-tense figure: as of the publication (about 24 February 2023)."),
             location=A.place("SY", None, "سوريا", "Suriya", words="بسوريا"),
             figures=[A.figure("prisoners_held", "أكثر من 10 آلاف", 10000, None, "more_than")],
             perpetrator=None, authority=SDF)
    A.claim(15, "detention", "situation",
             "The situation of ISIS prisoners held in Syria remains very fragile and a serious security challenge.",
             A.stmt("مؤكدًا أن وضع سجناء داعش المحتجزين في سوريًا لا يزال هشًّا للغاية، ويُشكّل تحديًا أمنيًا خطيرًا"),
             location=A.place("SY", None, "سوريًا", "Suriya"),
             perpetrator=None, attribution=eer("ويقول موقع “عين أوروبية على التطرف”", n=1))
    A.claim(16, "prison_break", "incident",
             "ISIS raided al-Sina'a prison last year (2022).",
             A.stmt("الغارات مثل تلك التي وقعت على سجن الصناعة العام الماضي"),
             date=A.date("2022-01-01", "2022-12-31", "year", "relative", "العام الماضي",
                         note="'Last year' before a February 2023 publication: 2022."),
             location=A.place("SY", "Al-Hasakah", "سجن الصناعة", "Sijn al-Sina'a",
                              note="al-Sina'a prison is in Hasakah; the article names only the prison."),
             attribution=eer("وشدد “عين أوروبية على التطرف”"))
    A.claim(17, "attack", "aggregate",
             "In Afghanistan ISIS has grown since NATO left 18 months ago and mounted large, complex attacks in the most fortified areas of the capital.",
             A.stmt("وانتقل من قوة إلى قوة في أفغانستان منذ أن ترك حلف الناتو الدولة لطالبان والقاعدة قبل ثمانية عشر شهرًا، فاستطاع شن هجمات كبيرة ومعقدة في أكثر المناطق تحصينًا في العاصمة"),
             date=A.date("2021-08-01", "2023-02-28", "month", "relative", "قبل ثمانية عشر شهرًا",
                         note="From NATO's departure 18 months before the publication (about August 2021) until then."),
             location=A.place("AF", "Kabul", "العاصمة", "the capital (Kabul)", note="The capital of Afghanistan is Kabul."))
    A.claim(18, "territorial", "situation",
             "In Africa ISIS keeps expanding its foothold, especially in Nigeria, where it fought government forces to a stalemate.",
             A.stmt("وفي أفريقيا، يستمر “داعش” في توسيع موطئ قدمه وترسيخها، خاصة في نيجيريا، حيث قاتل “الإرهابيون” القوات الحكومية حتى وصل الوضع إلى طريق مسدود"),
             location=A.place("NG", None, "نيجيريا", "Nijiriya"))
    A.claim(19, "territorial", "situation",
             "The wider Sahel, Congo and Mozambique remain fertile ground for ISIS.",
             A.stmt("ولا تزال منطقة الساحل الأوسّع بيئة خصبة لداعش، كما هو الحال بالنسبة للكونغو وموزمبيق"),
             location=A.place(None, None, "منطقة الساحل الأوسّع ... للكونغو وموزمبيق", "the Sahel, Congo and Mozambique",
                              words="منطقة الساحل الأوسّع"),
             attribution=eer("بحسب “عين أوروبية على التطرف”", hedge="بحسب"))
    A.claim(20, "financing", "situation",
             "Small ISIS positions in Somalia and South Africa are part of the logistics and financing of the transnational 'caliphate'.",
             A.stmt("حتى مواقع داعش الصغيرة في الصومال وجنوب أفريقيا، اتضح أنها جزء لا يتجزأ من لوجستيات وتمويل “الخلافة” العابرة للحدود الوطنية"),
             location=A.place(None, None, "الصومال وجنوب أفريقيا", "Somalia and South Africa"),
             attribution=eer("بحسب “عين أوروبية على التطرف”", hedge="بحسب"))
    A.claim(21, "financing", "situation",
             "ISIS uses cryptocurrency; as early as June 2020 its web page solicited donations in cryptocurrency.",
             A.stmt("إن أحد العناصر الجديدة التي ساعدت داعش في الحفاظ على موارده المالية هو استخدام العملة المشفّرة؛ ففي وقتٍ مبكر من يونيو/حزيران 2020، كانت صفحة داعش التي “كانت متاحةً سابقًا على كل شبكة الإنترنت العادية”، تضخ مواد دعائية، وتتيح للموالين لداعش من جميع أنحاء العالم التفاعل مع بعضهم بعضًا، وتقديم طلبات للتبرعات باستخدام العملة المشفّرة"),
             date=A.date("2020-06-01", "2020-06-30", "month", "stated", "يونيو/حزيران 2020"),
             attribution=eer("ويقول موقع “عين أوروبية على التطرف”", n=2))
    A.claim(22, "financing", "situation",
             "ISIS asks its members to use Monero rather than Bitcoin for security reasons.",
             A.stmt("وأشار إلى أن “داعش” يطلب على وجه التحديد من أعضائه استخدام مونيرو بدلًا من بيتكوين لأسبابٍ أمنية"),
             attribution=eer("ويقول موقع “عين أوروبية على التطرف”", n=2))
    A.claim(23, "financing_seizure", "incident",
             "In August 2020 the US Department of Justice announced it closed 300 cryptocurrency accounts and seized millions of dollars belonging to ISIS and al-Qaeda.",
             A.stmt("وفي أغسطس/آب 2020، أعلنت وزارة العدل الأمريكية إغلاق 300 حساب للعملات المشفرة، ومصادرة ملايين الدولارات الخاصة بداعش والقاعدة"),
             date=A.date("2020-08-01", "2020-08-31", "month", "stated", "أغسطس/آب 2020"),
             location=A.place("US", None, None, note="The acting authority's country; the accounts were online."),
             figures=[A.figure("accounts", "300 حساب", 300, 300, "exact", unit="accounts"),
                      A.figure("amount", "ملايين الدولارات", None, None, "unknown", unit="USD", currency="USD")],
             perpetrator=None, target=actor("ISIS and al-Qaeda", "داعش والقاعدة", "isis"),
             authority=actor("US Department of Justice", "وزارة العدل الأمريكية", "government"),
             attribution=A.cite("US Department of Justice", "وزارة العدل الأمريكية", "government", words="أعلنت وزارة العدل الأمريكية"))
    A.claim(24, "financing", "situation",
             "ISIS has benefited from non-fungible tokens (NFTs).",
             A.stmt("وأكد أن “داعش” استفاد من الرموز غير القابلة للاستبدال (NFTs)"),
             attribution=eer("ويقول موقع “عين أوروبية على التطرف”", n=2))
    return A, source
