"""004_4842e351d2c85202.txt: the end of the territorial 'caliphate' and ISIS's branches, with the UN's figures."""
from coding import ISIS, Article, actor

SDF = actor("Syrian Democratic Forces", "قوات سوريا الديمقراطية", "non_state_armed_group")
SATURDAY = ("2019-03-23", "2019-03-23")
SATURDAY_NOTE = ("'Saturday': the day the SDF took the last jihadist pocket (al-Baghuz) and the US welcomed the end "
                 "of the 'caliphate'. The article cites the UN report 'published in February' and treats 2018 as past, "
                 "so 2019; that Saturday was 23 March 2019 (consistent with article 1aee…'s 'spring 2019').")


def code(path):
    A = Article(path, "4842e351d2c85202")
    source = {
        "title": "انتهت دولة 'الخلافة' وبقي خطرها عابرا للحدود", "author": None, "outlet": None, "url": None,
        "dateline": "حقل العمر النفطي (سوريا)/باريس", "section": None,
        "published": A.date(*SATURDAY, "day", "inferred", "وليام روباك السبت", note=SATURDAY_NOTE),
        "notes": "A wire-style report with a dateline and repeated pull quotes; no outlet or author is named.",
    }
    un = lambda words, hedge=None, n=1: A.cite("United Nations", "الأمم المتحدة", "un", hedge=hedge, words=words, occurrence=n)
    guterres = lambda words: A.cite("UN Secretary-General António Guterres (report of February 2019)", "الأمين العام للأمم المتحدة انطونيو غوتيريش", "un", words=words)
    saturday = lambda words="وليام روباك السبت": A.date(*SATURDAY, "day", "inferred", words, note=SATURDAY_NOTE)

    A.claim(1, "territorial", "aggregate",
            "ISIS was defeated in Iraq and Syria, and before them in Libya.",
            A.stmt("هزيمة تنظيم الدولة الإسلامية في العراق وسوريا وقبلهما في ليبيا"),
            location=A.place(None, None, "العراق وسوريا وقبلهما في ليبيا", "Iraq, Syria and Libya"))
    A.claim(2, "territorial", "incident",
            "US deputy special envoy William Roebuck said on Saturday that the end of the 'caliphate' was decisive, shortly after the SDF took the jihadists' last pocket in eastern Syria.",
            A.stmt("اعتبر نائب المبعوث الأميركي الخاص لدى التحالف الدولي وليام روباك السبت أن انتهاء الخلافة المزعومة بهزيمة تنظيم الدولة الإسلامية في سوريا، يشكل حدثا \"حاسما\" في المعركة ضد التنظيم المتشدّد، بعد وقت قصير من سيطرة قوات سوريا الديمقراطية على آخر جيب للجهاديين في شرق سوريا"),
            date=saturday(),
            location=A.place("SY", "Deir ez-Zor", "آخر جيب للجهاديين في شرق سوريا", "the last pocket in eastern Syria (al-Baghuz)",
                             note="The pocket is named al-Baghuz later in the article; it lies in Deir ez-Zor governorate."),
            perpetrator=ISIS, authority=SDF,
            attribution=A.cite("William Roebuck, US deputy special envoy to the coalition", "نائب المبعوث الأميركي الخاص لدى التحالف الدولي وليام روباك",
                               "official", words="نائب المبعوث الأميركي الخاص لدى التحالف الدولي وليام روباك"))
    A.claim(3, "territorial", "situation",
            "ISIS keeps a presence in the vast Syrian desert and can still activate sleeper cells where it was expelled.",
            A.stmt("الذي يحتفظ بوجود في البادية السورية مترامية المساحة، وما زال قادرا على تحريك \"خلايا نائمة\" في المناطق التي طرد منها"),
            date=saturday(), location=A.place("SY", None, "البادية السورية", "the Syrian desert (Badia)"))
    A.claim(4, "territorial", "situation",
            "Despite losing al-Baghuz, ISIS keeps several affiliated groups called 'provinces' to continue its fight in other forms.",
            A.stmt("لا يزال تنظيم الدولة الإسلامية يحتفظ بعدة مجموعات مرتبطة به تعرف باسم \"الولايات\" لمواصلة معركته، لكن في أشكال أخرى"),
            date=saturday())
    A.claim(5, "territorial", "incident",
            "President Trump announced that the US and its coalition allies, including Iraqi security forces and the SDF, had liberated all ISIS-held territory in Syria and Iraq: '100 percent of the caliphate'.",
            A.stmt("يسرني أن أعلن أن الولايات المتحدة بالتعاون مع حلفائنا في التحالف الدولي وبينهم قوات الأمن العراقية وقوات سوريا الديمقراطية، حررت كل الأراضي التي يسيطر عليها التنظيم في سوريا والعراق، مئة بالمئة من أراضي الخلافة"),
            date=saturday("ورحب الرئيس الأميركي دونالد ترامب السبت"),
            location=A.place(None, None, "سوريا والعراق", "Syria and Iraq"),
            authority=actor("United States and coalition allies", "الولايات المتحدة بالتعاون مع حلفائنا في التحالف الدولي", "coalition"),
            attribution=A.cite("US President Donald Trump", "الرئيس الأميركي دونالد ترامب", "government",
                               words="وقال ترامب في بيان"),
            notes="'100 percent' (مئة بالمئة) is a share of territory, kept in the statement rather than as a figure.")
    A.claim(6, "territorial", "situation",
            "The UN Secretary-General's February report lists eight regions where ISIS is still present, besides sleeper cells in Syria and Iraq.",
            A.stmt("عرض الأمين العام للأمم المتحدة انطونيو غوتيريش قائمة بثماني مناطق لا يزال التنظيم المتطرف موجودا فيها، تضاف إليها خلايا نائمة شكلها في سوريا والعراق"),
            date=A.date("2019-02-01", "2019-02-28", "month", "inferred", "والذي نشر في فبراير/شباط",
                        note="The report 'published in February' of the publication year (2019)."),
            attribution=guterres("عرض الأمين العام للأمم المتحدة انطونيو غوتيريش"),
            notes="Eight regions (ثماني مناطق): a count of regions, which the figure model does not measure.")
    A.claim(7, "territorial", "situation",
            "In Yemen ISIS is still present in al-Jawf governorate.",
            A.stmt("وفي اليمن، لا يزال التنظيم حاضرا في محافظة الجوف"),
            location=A.place("YE", "Al Jawf", "محافظة الجوف", "al-Jawf"))
    A.claim(8, "attack", "incident",
            "ISIS in Yemen was weakened by battles with al-Qaeda's local branch in al-Bayda governorate in July 2018.",
            A.stmt("لكنه ضعف إثر معارك خاضها مع الفرع المحلي لتنظيم القاعدة الجهادي في محافظة البيضاء في يوليو/تموز 2018"),
            date=A.date("2018-07-01", "2018-07-31", "month", "stated", "يوليو/تموز 2018"),
            location=A.place("YE", "Al Bayda", "محافظة البيضاء", "al-Bayda"),
            target=actor("al-Qaeda's local branch", "الفرع المحلي لتنظيم القاعدة", "non_state_armed_group"),
            notes="Battles between ISIS and al-Qaeda: coded as an ISIS attack with al-Qaeda as the other party.")
    A.claim(9, "strength_estimate", "situation",
            "The UN says ISIS in Yemen still has mobile camps and a declining number of fighters.",
            A.stmt("لا يزال لتنظيم الدولة الإسلامية معسكرات متحركة وعدد من المقاتلين يتراجع في مجمل البلاد"),
            location=A.place("YE", None, "مجمل البلاد", "all of Yemen"),
            figures=[A.figure("fighters", "وعدد من المقاتلين", None, None, "unknown", unit="fighters", note="declining")],
            attribution=un("وتقول الأمم المتحدة"))
    A.claim(10, "territorial", "situation",
             "In Libya ISIS fighters are active on the Mediterranean coast between Ajdabiya and Tripoli and in the south.",
             A.stmt("إذ \"ينشط مقاتلوه على ساحل البحر المتوسط بين أجدابيا وطرابس وكذلك في جنوب البلاد\""),
             location=A.place("LY", None, "ساحل البحر المتوسط بين أجدابيا وطرابس", "the coast between Ajdabiya and Tripoli"),
             attribution=A.cite("UN Secretary-General António Guterres", "غوتيريش", "un", hedge="وفق", words="وفق غوتيريش"))
    A.claim(11, "attack", "aggregate",
             "ISIS fighters in Libya regularly attack police stations to seize weapons.",
             A.stmt("وهم يشنون بانتظام هجمات على مراكز للشرطة للاستيلاء على أسلحة"),
             location=A.place("LY", None, None), target=actor("police stations", "مراكز للشرطة", "state_forces"))
    A.claim(12, "strength_estimate", "situation",
             "In Egypt the ISIS branch remains active; the number of Ansar Bayt al-Maqdis fighters did not fall during 2018 despite Egyptian army operations.",
             A.stmt("ولم يسجل خلال 2018 تراجع عدد المقاتلين التابعين لجماعة \"أنصار بيت المقدس\" رغم أن الجيش المصري يواصل عملياته العسكرية ضد التنظيم"),
             date=A.date("2018-01-01", "2018-12-31", "year", "stated", "خلال 2018"),
             location=A.place("EG", None, "مصر", "Misr", words="وفي مصر"),
             figures=[A.figure("fighters", "عدد المقاتلين", None, None, "unknown", unit="fighters", note="did not decline")])
    A.claim(13, "counter_operation", "aggregate",
             "The Egyptian army continues military operations against the ISIS branch.",
             A.stmt("الجيش المصري يواصل عملياته العسكرية ضد التنظيم"),
             location=A.place("EG", None, None), perpetrator=None, target=ISIS,
             authority=actor("Egyptian army", "الجيش المصري", "state_forces"))
    A.claim(14, "strength_estimate", "situation",
             "In the Sahel, the Islamic State in the Greater Sahara, led by Adnan Abu Walid al-Sahrawi, has between 100 and 200 fighters in north-central Mali, per the UN.",
             A.stmt("المجموعة الأولى هي \"تنظيم الدولة الإسلامية في الصحراء الكبرى\" بقيادة عدنان أبوالوليد الصحراوي وتضم بين مئة ومئتي مقاتل في وسط شمال مالي"),
             location=A.place("ML", None, "وسط شمال مالي", "north-central Mali"),
             figures=[A.figure("fighters", "بين مئة ومئتي", 100, 200, "range", unit="fighters")],
             perpetrator=actor("Islamic State in the Greater Sahara", "تنظيم الدولة الإسلامية في الصحراء الكبرى", "isis"),
             attribution=un("بحسب الأمم المتحدة", hedge="بحسب"))
    A.claim(15, "strength_estimate", "situation",
             "In the Lake Chad region, the Islamic State West Africa group, a wing of Boko Haram led by Abu Musab al-Barnawi, has 1,500 to 3,500 jihadists, per the UN.",
             A.stmt("وفي منطقة بحيرة تشاد حيث تتقاطع الحدود بين تشاد والنيجر ونيجيريا، تضم \"الجماعة الإسلامية في غرب إفريقيا\" وهي جناح لجماعة بوكو حرام، 1500 إلى 3500 جهادي وفق الأمم المتحدة، بقيادة أبو مصعب البرناوي"),
             location=A.place(None, None, "منطقة بحيرة تشاد", "the Lake Chad region (Chad, Niger, Nigeria)"),
             figures=[A.figure("fighters", "1500 إلى 3500", 1500, 3500, "range", unit="fighters")],
             perpetrator=actor("Islamic State West Africa", "الجماعة الإسلامية في غرب إفريقيا", "isis"),
             attribution=un("وفق الأمم المتحدة", hedge="وفق"))
    A.claim(16, "territorial", "situation",
             "In Somalia an ISIS-linked group has 'coexisted' with al-Shabaab since mid-2018, per the UN.",
             A.stmt("لكن مجموعة مرتبطة بتنظيم الدولة الإسلامية \"تتعايش\" معها منذ منتصف 2018"),
             date=A.date("2018-06-01", "2018-07-31", "month", "stated", "منذ منتصف 2018", note="Mid-2018: June to July."),
             location=A.place("SO", None, "الصومال", "Somalia", words="وفي الصومال"),
             attribution=un("بحسب الأمم المتحدة", hedge="بحسب", n=2))
    A.claim(17, "attack", "aggregate",
             "The Somali ISIS group is known above all for assassinating employees and businessmen.",
             A.stmt("وعرفت هذه المجموعة خصوصا باغتيال موظفين ورجال أعمال"),
             location=A.place("SO", None, None), target=actor("employees and businessmen", "موظفين ورجال أعمال", "civilians"))
    A.claim(18, "territorial", "situation",
             "In neighbouring Puntland, ISIS fighters, mostly from Yemen, remain active around Qandala and Bosaso, where they set up training camps and stored weapons.",
             A.stmt("وفي منطقة بونتلاند المجاورة، يبقى مقاتلون من تنظيم الدولة الإسلامية نشطين في منطقتي كاندالا وبوصاصو حيث أقاموا معسكرات تدريب وقاموا بتخزين السلاح، وافدين خصوصا من اليمن المجاور"),
             location=A.place("SO", "Puntland", "كاندالا وبوصاصو", "Qandala and Bosaso"))
    A.claim(19, "strength_estimate", "situation",
             "In Afghanistan the ISIS-linked group has between 2,500 and 4,000 fighters in Nangarhar, Nuristan and Laghman in the east.",
             A.stmt("وفي أفغانستان، تضم المجموعة الجهادية المرتبطة بتنظيم الدولة الإسلامية بين 2500 وأربعة آلاف مقاتل في ولايات ننغرهار ونورستان ولغمان في شرق البلاد"),
             location=A.place("AF", None, "ولايات ننغرهار ونورستان ولغمان", "Nangarhar, Nuristan and Laghman"),
             figures=[A.figure("fighters", "بين 2500 وأربعة آلاف", 2500, 4000, "range", unit="fighters")])
    A.claim(20, "territorial", "situation",
             "The UN says ISIS has training camps in Afghanistan and a network of secret cells in several Afghan cities including Kabul.",
             A.stmt("التنظيم \"يملك معسكرات تدريب في أفغانستان وأقام شبكة خلايا سرية في مدن أفغانية عدة بينها كابول\""),
             location=A.place("AF", None, "كابول", "Kabul"),
             attribution=un("وتوضح الأمم المتحدة"))
    A.claim(21, "attack", "incident",
             "The UN report cites the killing of four foreign tourists in Tajikistan in July 2018 as ISIS seeks to expand in Central Asia.",
             A.stmt("الذي يشير إلى اغتيال أربعة سياح أجانب في طاجيكستان في يوليو/تموز 2018"),
             date=A.date("2018-07-01", "2018-07-31", "month", "stated", "يوليو/تموز 2018"),
             location=A.place("TJ", None, "طاجيكستان", "Tajikistan"),
             figures=[A.figure("killed", "أربعة سياح", 4, 4, "exact", note="foreign tourists")],
             target=actor("foreign tourists", "سياح أجانب", "civilians"),
             attribution=A.cite("UN report", "التقرير الأممي", "un", hedge="بحسب", words="بحسب التقرير الأممي"))
    A.claim(22, "attack", "aggregate",
             "In Indonesia, the ISIS-linked Ansar Allah group carried out a series of attacks by jihadists back from Syria or Iraq and others prevented from going.",
             A.stmt("وفي إندونيسيا، شنت جماعة أنصار الله المرتبطة بالتنظيم المتطرف سلسلة هجمات نفذها جهاديون عائدون من سوريا أو العراق وآخرون محبطون أرادوا التوجه إلى هذه المنطقة"),
             location=A.place("ID", None, "إندونيسيا", "Indonesia"),
             perpetrator=actor("Ansar Allah (ISIS-linked)", "جماعة أنصار الله", "isis"))
    A.claim(23, "strength_estimate", "situation",
             "Guterres warned of thousands of jihadists who returned home after fighting in Syria and Iraq, some undetected.",
             A.stmt("نبه غوتيريش إلى آلاف من الجهاديين الذين تمكنوا من العودة إلى بلدانهم الأم بعدما قاتلوا في سوريا والعراق"),
             figures=[A.figure("fighters", "آلاف من الجهاديين", None, None, "unknown", unit="fighters", note="returnees; 'thousands'")],
             attribution=A.cite("UN Secretary-General António Guterres", "غوتيريش", "un", words="نبه غوتيريش"))
    return A, source
