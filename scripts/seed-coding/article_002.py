"""002_9fda8b7b93fb41eb.txt: 'Will the international coalition bury ISIS?', an undated opinion piece from 2023."""
from coding import ISIS, Article, actor

SDF = actor("Syrian Democratic Forces", "«قسد»", "non_state_armed_group")


def code(path):
    A = Article(path, "9fda8b7b93fb41eb")
    source = {
        "title": "هل ينجح التحالف الدولي في دفن «داعش»؟", "author": None, "outlet": None, "url": None,
        "dateline": None, "section": None,
        "published": A.date(
            "2023-06-13", "2023-12-31", "year", "inferred", "في 12 يونيو الماضي",
            note="The coalition meeting of '12 June last' is past, and attack rates are given 'between 2021 and 2023': "
                 "published in 2023, after 12 June."),
        "notes": "Undated; the text begins mid-argument ('this incident') and names no outlet or author.",
    }
    A.claim(1, "territorial", "incident",
            "ISIS fell in its last stronghold, the village of al-Baghuz on the Syria–Iraq border, in May 2019.",
            A.stmt("سقوطه في آخر معاقله في قرية «الباغوز» على الحدود السورية العراقية في مايو 2019"),
            date=A.date("2019-05-01", "2019-05-31", "month", "stated", "في مايو 2019"),
            location=A.place("SY", "Deir ez-Zor", "قرية «الباغوز»", "al-Baghuz",
                             note="al-Baghuz lies in Deir ez-Zor governorate; the article names only the village."))
    A.claim(2, "attack", "aggregate",
            "In May 2022 ISIS announced the 'Two Sheikhs' campaign to avenge its leader Abu Ibrahim al-Qurashi and former spokesman Abu Hamza al-Qurashi; over about 45 days it carried out 245 operations that killed 726 people in Syria alone, with limited operations in Iraq.",
            A.stmt("في مايو من العام الماضي، أعلن «داعش» ما يعرف بغزوة «الشيخين» انتقاماً لمقتل زعيمه أبو إبراهيم القرشي والمتحدث الرسمي السابق أبو حمزة القرشي، استمرت هذه الغزوة ما يقارب 45 يوماً نفذ فيها التنظيم 245 عملية في المناطق التي تنتشر فيها خلاياه الأمنية نتج عنها 726 قتيلاً في سورية فقط"),
            date=A.date("2022-05-01", "2022-07-15", "month", "relative", "في مايو من العام الماضي",
                        note="'May of last year' before a 2023 publication: from May 2022, for about 45 days."),
            location=A.place("SY", None, "سورية", "Suriya", words="في سورية فقط"),
            figures=[A.figure("attacks", "245 عملية", 245, 245, "exact", unit="operations"),
                     A.figure("killed", "726 قتيلاً", 726, 726, "exact", note="in Syria only")],
            notes="The campaign lasted 'about 45 days' (ما يقارب 45 يوماً); operations also spread, to a limited extent, to Iraq.")
    A.claim(3, "counter_operation", "incident",
            "ISIS leader Abu Ibrahim al-Qurashi and former spokesman Abu Hamza al-Qurashi were killed before May 2022.",
            A.stmt("انتقاماً لمقتل زعيمه أبو إبراهيم القرشي والمتحدث الرسمي السابق أبو حمزة القرشي"),
            date=A.unknown_date("انتقاماً لمقتل", note="Before the campaign of May 2022 that avenged them; no date given."),
            figures=[A.figure("killed", "لمقتل زعيمه أبو إبراهيم القرشي والمتحدث الرسمي السابق أبو حمزة القرشي", 2, 2,
                              "exact", basis="inferred", note="Two named ISIS leaders.")],
            perpetrator=None, target=actor("Abu Ibrahim al-Qurashi and Abu Hamza al-Qurashi", "أبو إبراهيم القرشي ... أبو حمزة القرشي", "isis"))
    A.claim(4, "attack", "incident",
            "The campaign began with ISIS firing 10 rockets at an Uzbek military base from a launcher in the Afghan border town of Hairatan.",
            A.stmt("أنها بدأت انطلاقاً من أوزبكستان، إذ استهدف التنظيم قاعدة عسكرية أوزبكية بـ10 صواريخ انطلقت من منصة كانت متواجدة في بلدة «حيراتان» الأفغانية التي تقع على الحدود مع أوزبكستان"),
            date=A.date("2022-05-01", "2022-05-31", "month", "inferred", "أنها بدأت انطلاقاً من أوزبكستان",
                        note="The opening attack of the campaign the article dates to May 2022."),
            location=A.place("AF", "Balkh", "بلدة «حيراتان» الأفغانية", "Hairatan",
                             note="Launch site; Hairatan lies in Balkh province. The target was a military base in Uzbekistan."),
            target=actor("Uzbek military base", "قاعدة عسكرية أوزبكية", "state_forces"),
            notes="10 rockets (بـ10 صواريخ): a count of projectiles, which the figure model does not measure.")
    A.claim(5, "prison_break", "incident",
            "The Ghwayran prison events took place three months before the May 2022 campaign.",
            A.stmt("أحداث سجن غويران قبلها بثلاثة أشهر"),
            date=A.date("2022-02-01", "2022-02-28", "month", "relative", "قبلها بثلاثة أشهر",
                        note="Three months before May 2022: February 2022."),
            location=A.place("SY", "Al-Hasakah", "سجن غويران", "Ghwayran prison",
                             note="Ghwayran prison is in al-Hasakah; the article names only the prison."))
    A.claim(6, "counter_operation", "aggregate",
            "ISIS lacks a command structure after its first-rank leaders were killed and arrested.",
            A.stmt("صحيح أن التنظيم يفتقد الآن للهيكلية القيادية ومركز القرار بعد مقتل واعتقال قيادات الصف الأول"),
            perpetrator=None, target=ISIS)
    A.claim(7, "attack", "aggregate",
            "Burkina Faso has seen clear ISIS activity recently; by the latest statistics the rate of ISIS attacks in the African Sahara rose by 50% between 2021 and 2023.",
            A.stmt("بوركينافاسو التي تشهد في الآونة الأخيرة نشاطاً واضحاً للتنظيم بعد تراجع النفوذ الفرنسي في الصحراء الأفريقية، ففي آخر إحصائية لعمليات التنظيم فإن معدل الهجمات بين عامي 2021 و2023 ارتفع بنسبة 50%"),
            date=A.date("2021-01-01", "2023-12-31", "year", "stated", "بين عامي 2021 و2023"),
            location=A.place("BF", None, "بوركينافاسو", "Burkina Faso", note="Burkina Faso and the African Sahara."),
            attribution=A.cite("latest statistics of ISIS operations (unnamed)", "آخر إحصائية لعمليات التنظيم", "unknown",
                               words="ففي آخر إحصائية لعمليات التنظيم"),
            notes="The 50% rise is a rate of change, not a count; it is kept in the statement, not as a figure.")
    A.claim(8, "attack", "aggregate",
            "Despite coalition claims of declining attacks, ISIS keeps surprising with attacks in Syria above all, and in Khorasan.",
            A.stmt("إلا أن المفاجآت التي يحققها على مستوى الهجمات في سورية، بالدرجة الأولى، ومنطقة خراسان"),
            location=A.place(None, None, "سورية، بالدرجة الأولى، ومنطقة خراسان", "Syria and Khorasan"))
    return A, source
