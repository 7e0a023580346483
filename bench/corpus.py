"""A deterministic corpus of synthetic meeting reports, for speed benchmarks.

Why synthetic: a benchmark needs thousands to a hundred thousand articles, reproducible on any
machine, with no real article text copied into the repository. Why templates rather than random
words: BM25, the sentence splitter, the extraction and the answerer all behave differently on
word salad. The reports read like wire copy: countries with demonyms and capitals, people with
titles, venues, datelines, demands, warnings, agreements, quotes, analysts, and page noise
(captions, share bars, newsletter prompts, related links, bios) that the cleaner must drop.

Determinism: the entity pools depend only on the seed, and article `i` depends only on (seed, i),
so the 1,000-article corpus is a prefix of the 10,000-article one. Several thousand distinct people
and places come from per-country name pools and generated towns and venues.

    python -m bench.corpus --articles 1000 --seed 7 --out bench/data/corpus-s7-n1000
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

# -- name pools --------------------------------------------------------------------------------

_POOLS: dict[str, tuple[list[str], list[str]]] = {
    "zh": (
        [
            "Wei",
            "Jun",
            "Lei",
            "Hua",
            "Ming",
            "Yan",
            "Qiang",
            "Ping",
            "Bo",
            "Tao",
            "Xin",
            "Hong",
            "Jian",
            "Lin",
            "Yi",
            "Hao",
            "Feng",
            "Rui",
            "Jie",
            "Kai",
            "Long",
            "Mei",
            "Na",
            "Qing",
            "Xiu",
            "Ying",
            "Zhen",
        ],
        [
            "Wang",
            "Li",
            "Zhang",
            "Liu",
            "Chen",
            "Yang",
            "Zhao",
            "Huang",
            "Zhou",
            "Wu",
            "Xu",
            "Sun",
            "Hu",
            "Zhu",
            "Gao",
            "Lin",
            "He",
            "Guo",
            "Ma",
            "Luo",
            "Liang",
            "Song",
            "Zheng",
            "Xie",
            "Han",
            "Tang",
            "Feng",
            "Yu",
            "Dong",
            "Xiao",
            "Cheng",
            "Cao",
            "Yuan",
            "Deng",
        ],
    ),
    "ja": (
        [
            "Haruto",
            "Yuto",
            "Sota",
            "Ren",
            "Takeshi",
            "Hiroshi",
            "Kenji",
            "Akira",
            "Daiki",
            "Yui",
            "Aoi",
            "Sakura",
            "Hina",
            "Yoko",
            "Naomi",
            "Emi",
            "Kaito",
            "Riku",
            "Shota",
            "Taro",
            "Koji",
            "Mariko",
            "Keiko",
            "Fumio",
        ],
        [
            "Sato",
            "Suzuki",
            "Takahashi",
            "Tanaka",
            "Watanabe",
            "Ito",
            "Yamamoto",
            "Nakamura",
            "Kobayashi",
            "Kato",
            "Yoshida",
            "Yamada",
            "Sasaki",
            "Yamaguchi",
            "Matsumoto",
            "Inoue",
            "Kimura",
            "Hayashi",
            "Shimizu",
            "Mori",
            "Abe",
            "Ikeda",
            "Hashimoto",
            "Ishikawa",
            "Ogawa",
            "Okada",
        ],
    ),
    "ko": (
        [
            "Min-jun",
            "Seo-yeon",
            "Ji-ho",
            "Ha-eun",
            "Do-yun",
            "Su-bin",
            "Jae-won",
            "Hye-jin",
            "Sung-ho",
            "Young-soo",
            "Eun-ji",
            "Tae-hyun",
            "Kyung-wha",
            "Chung-hee",
            "Dong-hyun",
            "Ji-woo",
        ],
        [
            "Kim",
            "Lee",
            "Park",
            "Choi",
            "Jung",
            "Kang",
            "Cho",
            "Yoon",
            "Jang",
            "Lim",
            "Han",
            "Oh",
            "Seo",
            "Shin",
            "Kwon",
            "Hwang",
            "Ahn",
            "Song",
            "Yoo",
            "Hong",
        ],
    ),
    "slav": (
        [
            "Sergei",
            "Dmitry",
            "Alexei",
            "Ivan",
            "Nikolai",
            "Andrei",
            "Mikhail",
            "Vladimir",
            "Oleg",
            "Pavel",
            "Yuri",
            "Anna",
            "Olga",
            "Elena",
            "Natalia",
            "Irina",
            "Tatiana",
            "Maria",
            "Svetlana",
            "Viktor",
            "Boris",
            "Roman",
            "Denys",
            "Petro",
            "Andriy",
            "Kateryna",
            "Oksana",
        ],
        [
            "Ivanov",
            "Petrov",
            "Smirnov",
            "Kuznetsov",
            "Popov",
            "Sokolov",
            "Lebedev",
            "Kozlov",
            "Novikov",
            "Morozov",
            "Volkov",
            "Orlov",
            "Belov",
            "Shevchenko",
            "Bondarenko",
            "Kovalenko",
            "Tkachenko",
            "Melnyk",
            "Kravchenko",
            "Zakharova",
            "Sidorova",
            "Fedorov",
            "Pavlov",
            "Semenov",
            "Golubev",
            "Vinogradov",
            "Bogdanov",
            "Vorobyov",
        ],
    ),
    "ar": (
        [
            "Mohammed",
            "Ahmed",
            "Ali",
            "Omar",
            "Khalid",
            "Youssef",
            "Hassan",
            "Ibrahim",
            "Faisal",
            "Abdullah",
            "Tariq",
            "Samir",
            "Karim",
            "Nasser",
            "Fatima",
            "Aisha",
            "Mariam",
            "Layla",
            "Huda",
            "Rania",
            "Salma",
            "Nadia",
            "Hamad",
            "Saud",
            "Sameh",
            "Ayman",
        ],
        [
            "Al-Saud",
            "Al-Thani",
            "Al-Nahyan",
            "Haddad",
            "Khalil",
            "Mansour",
            "Nasser",
            "Saleh",
            "Hamdan",
            "Farouk",
            "Shoukry",
            "Aboul-Gheit",
            "El-Sisi",
            "Qassem",
            "Rahman",
            "Aziz",
            "Bakr",
            "Darwish",
            "Hijazi",
            "Jaber",
            "Kassem",
            "Mahmoud",
            "Obeid",
            "Rashid",
            "Sabri",
            "Zayed",
        ],
    ),
    "fa": (
        [
            "Hossein",
            "Reza",
            "Mehdi",
            "Ali",
            "Abbas",
            "Javad",
            "Hassan",
            "Mohsen",
            "Saeed",
            "Kazem",
            "Amir",
            "Parisa",
            "Shirin",
            "Maryam",
            "Zahra",
            "Nasrin",
            "Majid",
            "Hamid",
        ],
        [
            "Ahmadi",
            "Hosseini",
            "Rezaei",
            "Mousavi",
            "Karimi",
            "Jafari",
            "Sadeghi",
            "Rahimi",
            "Amiri",
            "Abdollahian",
            "Zarif",
            "Araghchi",
            "Larijani",
            "Velayati",
            "Mohammadi",
            "Ghasemi",
            "Kazemi",
            "Salehi",
        ],
    ),
    "tr": (
        [
            "Mehmet",
            "Mustafa",
            "Ahmet",
            "Ali",
            "Hakan",
            "Mevlut",
            "Emre",
            "Burak",
            "Cem",
            "Ayse",
            "Fatma",
            "Elif",
            "Zeynep",
            "Selin",
            "Murat",
            "Kemal",
            "Serkan",
            "Oguz",
        ],
        [
            "Yilmaz",
            "Kaya",
            "Demir",
            "Sahin",
            "Celik",
            "Yildiz",
            "Yildirim",
            "Ozturk",
            "Aydin",
            "Ozdemir",
            "Arslan",
            "Dogan",
            "Kilic",
            "Aslan",
            "Cetin",
            "Kara",
            "Koc",
            "Kurt",
            "Fidan",
            "Cavusoglu",
        ],
    ),
    "in": (
        [
            "Rajesh",
            "Suresh",
            "Amit",
            "Vikram",
            "Arjun",
            "Rahul",
            "Sanjay",
            "Anil",
            "Priya",
            "Anjali",
            "Kavita",
            "Sunita",
            "Meera",
            "Deepak",
            "Ravi",
            "Subrahmanyam",
            "Nirmala",
            "Piyush",
            "Harsh",
            "Shashi",
        ],
        [
            "Sharma",
            "Verma",
            "Gupta",
            "Singh",
            "Kumar",
            "Patel",
            "Reddy",
            "Iyer",
            "Nair",
            "Menon",
            "Rao",
            "Joshi",
            "Mehta",
            "Chopra",
            "Kapoor",
            "Malhotra",
            "Jaishankar",
            "Misri",
            "Goyal",
            "Sitharaman",
            "Banerjee",
            "Mukherjee",
        ],
    ),
    "en": (
        [
            "James",
            "John",
            "Robert",
            "Michael",
            "William",
            "David",
            "Richard",
            "Thomas",
            "Daniel",
            "Mark",
            "Sarah",
            "Emily",
            "Jessica",
            "Jennifer",
            "Laura",
            "Rachel",
            "Catherine",
            "Helen",
            "Anthony",
            "Kurt",
            "Linda",
            "Penny",
            "Chrystia",
            "Melanie",
            "Jacinda",
        ],
        [
            "Smith",
            "Johnson",
            "Williams",
            "Brown",
            "Jones",
            "Miller",
            "Davis",
            "Wilson",
            "Anderson",
            "Taylor",
            "Moore",
            "Jackson",
            "Martin",
            "Thompson",
            "White",
            "Harris",
            "Clark",
            "Lewis",
            "Walker",
            "Hall",
            "Allen",
            "Young",
            "King",
            "Wright",
            "Scott",
            "Green",
            "Baker",
            "Adams",
            "Campbell",
            "Mitchell",
            "Roberts",
            "Carter",
            "Phillips",
            "Evans",
            "Turner",
            "Parker",
            "Collins",
            "Edwards",
            "Stewart",
        ],
    ),
    "fr": (
        [
            "Jean",
            "Pierre",
            "Michel",
            "Philippe",
            "Alain",
            "Nicolas",
            "Laurent",
            "Olivier",
            "Christophe",
            "Francois",
            "Marie",
            "Nathalie",
            "Isabelle",
            "Sylvie",
            "Catherine",
            "Sophie",
            "Claire",
            "Amelie",
            "Stephane",
            "Sebastien",
            "Catherine",
        ],
        [
            "Martin",
            "Bernard",
            "Dubois",
            "Thomas",
            "Robert",
            "Richard",
            "Petit",
            "Durand",
            "Leroy",
            "Moreau",
            "Simon",
            "Laurent",
            "Lefebvre",
            "Michel",
            "Garcia",
            "David",
            "Bertrand",
            "Roux",
            "Vincent",
            "Fournier",
            "Morel",
            "Girard",
            "Andre",
            "Mercier",
            "Dupont",
            "Lambert",
        ],
    ),
    "de": (
        [
            "Thomas",
            "Michael",
            "Andreas",
            "Stefan",
            "Christian",
            "Frank",
            "Markus",
            "Wolfgang",
            "Klaus",
            "Jurgen",
            "Annalena",
            "Ursula",
            "Sabine",
            "Petra",
            "Monika",
            "Claudia",
            "Julia",
            "Katrin",
            "Heiko",
            "Olaf",
            "Boris",
        ],
        [
            "Muller",
            "Schmidt",
            "Schneider",
            "Fischer",
            "Weber",
            "Meyer",
            "Wagner",
            "Becker",
            "Schulz",
            "Hoffmann",
            "Koch",
            "Richter",
            "Klein",
            "Wolf",
            "Schroder",
            "Neumann",
            "Schwarz",
            "Zimmermann",
            "Braun",
            "Kruger",
            "Hartmann",
            "Lange",
            "Werner",
            "Krause",
            "Maas",
            "Baerbock",
        ],
    ),
    "es": (
        [
            "Jose",
            "Antonio",
            "Juan",
            "Manuel",
            "Francisco",
            "Luis",
            "Carlos",
            "Javier",
            "Miguel",
            "Alejandro",
            "Maria",
            "Carmen",
            "Ana",
            "Isabel",
            "Lucia",
            "Sofia",
            "Valentina",
            "Camila",
            "Gabriel",
            "Diego",
            "Santiago",
            "Marcelo",
            "Mauro",
        ],
        [
            "Garcia",
            "Rodriguez",
            "Martinez",
            "Hernandez",
            "Lopez",
            "Gonzalez",
            "Perez",
            "Sanchez",
            "Ramirez",
            "Torres",
            "Flores",
            "Rivera",
            "Gomez",
            "Diaz",
            "Cruz",
            "Morales",
            "Reyes",
            "Ortiz",
            "Gutierrez",
            "Castillo",
            "Vargas",
            "Romero",
            "Alvarez",
            "Mendoza",
            "Silva",
            "Vieira",
        ],
    ),
    "af": (
        [
            "Abiy",
            "Cyril",
            "Bola",
            "Uhuru",
            "William",
            "Samia",
            "Paul",
            "Yoweri",
            "Nana",
            "Macky",
            "Ngozi",
            "Amina",
            "Aminata",
            "Thandi",
            "Grace",
            "Joyce",
            "Kwame",
            "Kofi",
            "Olusegun",
            "Tedros",
            "Naledi",
            "Musalia",
        ],
        [
            "Ahmed",
            "Ramaphosa",
            "Tinubu",
            "Kenyatta",
            "Ruto",
            "Hassan",
            "Kagame",
            "Museveni",
            "Akufo-Addo",
            "Sall",
            "Okonjo",
            "Mohammed",
            "Toure",
            "Mbeki",
            "Mensah",
            "Osei",
            "Adeyemi",
            "Okafor",
            "Mutua",
            "Kamau",
            "Otieno",
            "Pandor",
            "Mudavadi",
            "Banda",
            "Phiri",
            "Diallo",
        ],
    ),
    "sea": (
        [
            "Nguyen",
            "Anh",
            "Minh",
            "Thanh",
            "Hoang",
            "Joko",
            "Retno",
            "Prabowo",
            "Vivian",
            "Teo",
            "Lawrence",
            "Anwar",
            "Mohamad",
            "Ferdinand",
            "Enrique",
            "Sara",
            "Gilberto",
            "Prayut",
            "Don",
            "Parnpree",
        ],
        [
            "Nguyen",
            "Tran",
            "Le",
            "Pham",
            "Widodo",
            "Marsudi",
            "Subianto",
            "Balakrishnan",
            "Wong",
            "Ibrahim",
            "Hasan",
            "Marcos",
            "Manalo",
            "Teodoro",
            "Chan-o-cha",
            "Pramudwinai",
            "Sihasak",
            "Bui",
            "Vu",
            "Dang",
            "Santos",
            "Reyes",
            "Lim",
            "Tan",
        ],
    ),
}


@dataclass(frozen=True)
class Country:
    name: str
    demonym: str
    capital: str
    cities: tuple[str, ...]
    pool: str
    leader: str  # the head of state or government's title


COUNTRIES: tuple[Country, ...] = tuple(
    Country(n, d, c, tuple(o.split("|")), p, lead)
    for n, d, c, o, p, lead in (
        ("China", "Chinese", "Beijing", "Shanghai|Guangzhou|Xiamen|Tianjin", "zh", "President"),
        ("the United States", "U.S.", "Washington", "New York|San Francisco|Honolulu|Chicago", "en", "President"),
        ("Japan", "Japanese", "Tokyo", "Osaka|Hiroshima|Kyoto|Nagoya", "ja", "Prime Minister"),
        ("South Korea", "South Korean", "Seoul", "Busan|Incheon|Daegu|Jeju", "ko", "President"),
        ("Russia", "Russian", "Moscow", "St. Petersburg|Sochi|Kazan|Vladivostok", "slav", "President"),
        ("Ukraine", "Ukrainian", "Kyiv", "Lviv|Odesa|Kharkiv|Dnipro", "slav", "President"),
        ("India", "Indian", "New Delhi", "Mumbai|Bengaluru|Chennai|Kolkata", "in", "Prime Minister"),
        ("Pakistan", "Pakistani", "Islamabad", "Karachi|Lahore|Peshawar|Quetta", "in", "Prime Minister"),
        ("Saudi Arabia", "Saudi", "Riyadh", "Jeddah|Dammam|Mecca|NEOM", "ar", "Crown Prince"),
        ("Egypt", "Egyptian", "Cairo", "Alexandria|Sharm el-Sheikh|Luxor|Port Said", "ar", "President"),
        ("Qatar", "Qatari", "Doha", "Lusail|Al Wakrah|Al Khor|Dukhan", "ar", "Emir"),
        ("the United Arab Emirates", "Emirati", "Abu Dhabi", "Dubai|Sharjah|Ajman|Fujairah", "ar", "President"),
        ("Iran", "Iranian", "Tehran", "Isfahan|Mashhad|Tabriz|Shiraz", "fa", "President"),
        ("Turkey", "Turkish", "Ankara", "Istanbul|Izmir|Antalya|Bursa", "tr", "President"),
        ("the United Kingdom", "British", "London", "Manchester|Edinburgh|Belfast|Cardiff", "en", "Prime Minister"),
        ("France", "French", "Paris", "Marseille|Lyon|Toulouse|Nice", "fr", "President"),
        ("Germany", "German", "Berlin", "Munich|Hamburg|Frankfurt|Cologne", "de", "Chancellor"),
        ("Spain", "Spanish", "Madrid", "Barcelona|Valencia|Seville|Bilbao", "es", "Prime Minister"),
        ("Brazil", "Brazilian", "Brasilia", "Sao Paulo|Rio de Janeiro|Salvador|Recife", "es", "President"),
        ("Argentina", "Argentine", "Buenos Aires", "Cordoba|Rosario|Mendoza|Ushuaia", "es", "President"),
        ("Mexico", "Mexican", "Mexico City", "Guadalajara|Monterrey|Cancun|Tijuana", "es", "President"),
        ("Canada", "Canadian", "Ottawa", "Toronto|Montreal|Vancouver|Calgary", "en", "Prime Minister"),
        ("Australia", "Australian", "Canberra", "Sydney|Melbourne|Perth|Darwin", "en", "Prime Minister"),
        ("Nigeria", "Nigerian", "Abuja", "Lagos|Kano|Ibadan|Port Harcourt", "af", "President"),
        ("Kenya", "Kenyan", "Nairobi", "Mombasa|Kisumu|Nakuru|Eldoret", "af", "President"),
        ("South Africa", "South African", "Pretoria", "Johannesburg|Cape Town|Durban|Gqeberha", "af", "President"),
        ("Ethiopia", "Ethiopian", "Addis Ababa", "Dire Dawa|Mekelle|Gondar|Bahir Dar", "af", "Prime Minister"),
        ("Indonesia", "Indonesian", "Jakarta", "Surabaya|Bali|Bandung|Medan", "sea", "President"),
        ("Vietnam", "Vietnamese", "Hanoi", "Ho Chi Minh City|Da Nang|Hai Phong|Hue", "sea", "President"),
        ("the Philippines", "Philippine", "Manila", "Cebu|Davao|Subic|Iloilo", "sea", "President"),
        ("Singapore", "Singaporean", "Singapore", "Jurong|Changi|Sentosa|Woodlands", "sea", "Prime Minister"),
        ("Malaysia", "Malaysian", "Kuala Lumpur", "Penang|Johor Bahru|Kota Kinabalu|Kuching", "sea", "Prime Minister"),
        ("Italy", "Italian", "Rome", "Milan|Naples|Turin|Florence", "fr", "Prime Minister"),
        ("Poland", "Polish", "Warsaw", "Krakow|Gdansk|Wroclaw|Poznan", "slav", "President"),
        ("Norway", "Norwegian", "Oslo", "Bergen|Tromso|Stavanger|Trondheim", "de", "Prime Minister"),
        ("Switzerland", "Swiss", "Bern", "Geneva|Zurich|Davos|Lausanne", "de", "President"),
        ("Israel", "Israeli", "Jerusalem", "Tel Aviv|Haifa|Eilat|Beersheba", "en", "Prime Minister"),
        ("Jordan", "Jordanian", "Amman", "Aqaba|Irbid|Zarqa|Madaba", "ar", "King"),
        ("Kazakhstan", "Kazakh", "Astana", "Almaty|Shymkent|Aktau|Karaganda", "slav", "President"),
        ("Chile", "Chilean", "Santiago", "Valparaiso|Antofagasta|Concepcion|Punta Arenas", "es", "President"),
    )
)

TITLES = (
    "Foreign Minister",
    "Deputy Foreign Minister",
    "Defense Minister",
    "Trade Minister",
    "Finance Minister",
    "Energy Minister",
    "National Security Adviser",
    "Special Envoy",
    "Ambassador",
    "Vice Premier",
    "Interior Minister",
    "Climate Envoy",
)

TOPICS = (
    # (label, demand clause, warning clause, agreement clause, concern noun phrase)
    (
        "trade tariffs",
        "lift the tariffs imposed on its steel and aluminium exports",
        "new tariffs would hurt consumers on both sides",
        "set up a working group on tariff reductions",
        "the widening trade deficit",
    ),
    (
        "maritime security",
        "stop sending coast guard vessels into the disputed waters",
        "any further incursion would be met with a firm response",
        "establish a hotline between their navies",
        "recent confrontations at sea",
    ),
    (
        "grain exports",
        "guarantee safe passage for grain shipments",
        "a halt to grain shipments could trigger a food crisis",
        "extend the grain corridor for another six months",
        "rising food prices in import-dependent countries",
    ),
    (
        "energy supply",
        "honour its long-term gas delivery contracts",
        "energy cuts this winter would be treated as coercion",
        "build a new liquefied natural gas terminal",
        "volatile oil and gas prices",
    ),
    (
        "nuclear program",
        "allow inspectors back into its enrichment facilities",
        "enrichment beyond agreed limits would have serious consequences",
        "resume technical talks on nuclear safeguards",
        "the lack of access for international inspectors",
    ),
    (
        "climate financing",
        "deliver the climate finance it pledged to developing nations",
        "delays in climate funding would undermine trust",
        "launch a joint fund for renewable energy projects",
        "the growing cost of floods and droughts",
    ),
    (
        "semiconductor export controls",
        "ease its restrictions on chip-making equipment",
        "export controls would fragment global supply chains",
        "hold regular consultations on export controls",
        "restrictions on advanced chips",
    ),
    (
        "refugees and migration",
        "take back citizens who had no right to stay",
        "a new wave of refugees would overwhelm border regions",
        "open legal pathways for seasonal workers",
        "the number of people crossing the border irregularly",
    ),
    (
        "border demarcation",
        "withdraw troops from the contested border area",
        "unilateral changes to the border would not be accepted",
        "reconvene the joint boundary commission",
        "troop build-ups near the frontier",
    ),
    (
        "fisheries",
        "respect the fishing quotas agreed last year",
        "illegal fishing would lead to the seizure of vessels",
        "share data on fish stocks",
        "the depletion of fish stocks",
    ),
    (
        "sanctions",
        "lift the sanctions on its state banks",
        "secondary sanctions would damage relations for years",
        "create a channel for humanitarian trade",
        "the impact of sanctions on ordinary citizens",
    ),
    (
        "cyber security",
        "stop state-backed hackers targeting its hospitals",
        "cyberattacks on critical infrastructure would not go unanswered",
        "set up a joint cyber incident response team",
        "ransomware attacks on public services",
    ),
    (
        "a hostage release",
        "free the detained aid workers without conditions",
        "any harm to the detainees would end the talks",
        "work toward a phased exchange of prisoners",
        "the fate of detained journalists",
    ),
    (
        "a ceasefire",
        "halt shelling of civilian areas immediately",
        "a collapse of the truce would lead to a wider war",
        "extend the ceasefire by thirty days",
        "the humanitarian situation in the conflict zone",
    ),
    (
        "debt relief",
        "restructure the loans owed by its state utility",
        "a default would shake investor confidence in the region",
        "reschedule debt payments over ten years",
        "the country's rising debt burden",
    ),
    (
        "critical minerals",
        "open its lithium and cobalt projects to foreign investors",
        "export bans on rare earths would disrupt industry",
        "sign a partnership on critical minerals processing",
        "dependence on a single supplier of rare earths",
    ),
    (
        "water rights",
        "stop filling the dam without a binding agreement",
        "any reduction of the river's flow would be an existential threat",
        "form a technical committee on the river's flow",
        "drought conditions downstream",
    ),
    (
        "visa rules",
        "simplify visas for students and business travellers",
        "tighter visa rules would hurt tourism",
        "restore direct flights and ease visa requirements",
        "long waiting times for visas",
    ),
    (
        "public health",
        "share data on the new virus outbreak",
        "withholding outbreak data would endanger lives",
        "jointly produce vaccines in the region",
        "the spread of drug-resistant infections",
    ),
    (
        "space cooperation",
        "share information on satellite launches",
        "weapons in orbit would spark an arms race",
        "cooperate on a lunar research mission",
        "debris from anti-satellite tests",
    ),
)

MEETING_VERBS = ("met", "held talks with", "met with", "hosted", "received")
DEMAND_VERBS = ("urged", "called on", "demanded that", "pressed", "asked")
WARN_VERBS = ("warned that", "cautioned that", "said that")
CONCERN_VERBS = ("expressed concern over", "voiced concern about", "raised concerns about")
OUTLETS = (
    "Xinhua",
    "Reuters",
    "AP",
    "AFP",
    "Kyodo",
    "Yonhap",
    "TASS",
    "Anadolu",
    "The Daily Courier",
    "Global Affairs Weekly",
    "The Morning Ledger",
    "Continental Post",
)
MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
FULL_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
VENUE_KINDS = (
    "the {name} Palace",
    "the {name} Conference Centre",
    "the {name} Hotel",
    "the {name} Guesthouse",
    "the {name} House",
    "the {name} Hall",
)
NOISE = (
    "Advertisement",
    "Share this article",
    "Share on Facebook | Share on X | Email",
    "Sign up for our daily newsletter",
    "Read more: {headline}",
    "Related: {headline}",
    "Photo: {agency}/{photographer}",
    "Subscribe now for unlimited access",
    "Copyright {year} {outlet}. All rights reserved.",
    "This article was updated at {hour}:{minute:02d} GMT.",
)
_SYLLABLES = [
    "ka",
    "ri",
    "to",
    "mo",
    "se",
    "la",
    "vi",
    "na",
    "do",
    "ren",
    "bor",
    "zel",
    "ta",
    "mir",
    "gan",
    "vel",
    "ost",
    "ana",
    "kul",
    "dar",
    "sol",
    "pek",
    "ter",
    "hav",
    "lin",
    "mas",
]


@dataclass(frozen=True)
class Person:
    name: str
    surname: str
    title: str
    country: Country
    pronoun: str  # "he" or "she"

    def full(self) -> str:
        return f"{self.country.demonym} {self.title} {self.name}"


@dataclass(frozen=True)
class Pools:
    """Everything that is shared by all articles of one seed."""

    people: dict[str, list[Person]]  # by country name
    towns: dict[str, list[str]]
    venues: dict[str, list[str]]
    reporters: list[str]
    analysts: list[tuple[str, str]]  # (name, affiliation)


_FEMALE = {
    "Anna",
    "Olga",
    "Elena",
    "Natalia",
    "Irina",
    "Tatiana",
    "Maria",
    "Svetlana",
    "Kateryna",
    "Oksana",
    "Fatima",
    "Aisha",
    "Mariam",
    "Layla",
    "Huda",
    "Rania",
    "Salma",
    "Nadia",
    "Parisa",
    "Shirin",
    "Maryam",
    "Zahra",
    "Nasrin",
    "Ayse",
    "Fatma",
    "Elif",
    "Zeynep",
    "Selin",
    "Priya",
    "Anjali",
    "Kavita",
    "Sunita",
    "Meera",
    "Nirmala",
    "Sarah",
    "Emily",
    "Jessica",
    "Jennifer",
    "Laura",
    "Rachel",
    "Catherine",
    "Helen",
    "Linda",
    "Penny",
    "Chrystia",
    "Melanie",
    "Jacinda",
    "Marie",
    "Nathalie",
    "Isabelle",
    "Sylvie",
    "Sophie",
    "Claire",
    "Amelie",
    "Annalena",
    "Ursula",
    "Sabine",
    "Petra",
    "Monika",
    "Claudia",
    "Julia",
    "Katrin",
    "Carmen",
    "Ana",
    "Isabel",
    "Lucia",
    "Sofia",
    "Valentina",
    "Camila",
    "Samia",
    "Ngozi",
    "Amina",
    "Aminata",
    "Thandi",
    "Grace",
    "Joyce",
    "Naledi",
    "Retno",
    "Vivian",
    "Sara",
    "Yui",
    "Aoi",
    "Sakura",
    "Hina",
    "Yoko",
    "Naomi",
    "Emi",
    "Mariko",
    "Keiko",
    "Seo-yeon",
    "Ha-eun",
    "Su-bin",
    "Hye-jin",
    "Eun-ji",
    "Kyung-wha",
    "Mei",
    "Na",
    "Qing",
    "Xiu",
    "Ying",
}


def _town(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 3)))).capitalize()


def build_pools(seed: int, people_per_country: int = 110, towns_per_country: int = 40) -> Pools:
    """People, towns and venues for one seed: thousands of distinct names, as on real news."""
    rng = random.Random(f"pools:{seed}")
    people: dict[str, list[Person]] = {}
    towns: dict[str, list[str]] = {}
    venues: dict[str, list[str]] = {}
    for country in COUNTRIES:
        firsts, lasts = _POOLS[country.pool]
        combos = [(f, s) for f in firsts for s in lasts]
        rng.shuffle(combos)
        roster = []
        for k, (first, last) in enumerate(combos[:people_per_country]):
            title = country.leader if k == 0 else TITLES[(k - 1) % len(TITLES)] if k <= len(TITLES) else None
            title = title or rng.choice(TITLES)
            pronoun = "she" if first in _FEMALE else "he"
            roster.append(Person(f"{first} {last}", last, title, country, pronoun))
        people[country.name] = roster
        names = {_town(rng) for _ in range(towns_per_country * 2)}
        towns[country.name] = sorted(names)[:towns_per_country]
        venues[country.name] = [
            rng.choice(VENUE_KINDS).format(name=rng.choice(towns[country.name] + list(country.cities)))
            for _ in range(12)
        ]
    reporters = [f"{f} {s}" for f, s in random.Random(f"rep:{seed}").sample(_all_names(), 300)]
    analysts = []
    arng = random.Random(f"analysts:{seed}")
    for first, last in arng.sample(_all_names(), 400):
        country = arng.choice(COUNTRIES)
        place = arng.choice((country.capital, *country.cities))
        kind = arng.choice(("University of {p}", "{p} Institute for International Affairs", "{p} Policy Centre"))
        analysts.append((f"{first} {last}", kind.format(p=place)))
    return Pools(people, towns, venues, reporters, analysts)


def _all_names() -> list[tuple[str, str]]:
    return [(f, s) for firsts, lasts in _POOLS.values() for f in firsts for s in lasts]


# -- one article -------------------------------------------------------------------------------


@dataclass
class GeneratedArticle:
    filename: str
    text: str
    questions: list[dict]
    people: list[str]
    places: list[str]


def _dateline_date(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}"


def _noise(rng: random.Random, pools: Pools, outlet: str, day: date) -> str:
    template = rng.choice(NOISE)
    other = rng.choice(COUNTRIES)
    return template.format(
        headline=f"{other.demonym} leaders mark anniversary of ties with {rng.choice(COUNTRIES).name}",
        agency=rng.choice(OUTLETS[:8]),
        photographer=rng.choice(pools.reporters),
        year=day.year,
        outlet=outlet,
        hour=rng.randint(0, 23),
        minute=rng.randint(0, 59),
    )


def generate_article(seed: int, index: int, pools: Pools) -> GeneratedArticle:
    """Article `index` of the corpus for `seed`: a wire-style report of one meeting, with page noise."""
    rng = random.Random(f"article:{seed}:{index}")
    host_c, guest_c = rng.sample(COUNTRIES, 2)
    host = rng.choice(pools.people[host_c.name][:60])
    guest = rng.choice(pools.people[guest_c.name][:60])
    third = rng.choice(pools.people[rng.choice(COUNTRIES).name]) if rng.random() < 0.15 else None
    city = rng.choice((host_c.capital,) * 3 + host_c.cities)
    venue = rng.choice(pools.venues[host_c.name])
    day = date(2018, 1, 1) + timedelta(days=rng.randrange(9 * 365))
    outlet = rng.choice(OUTLETS)
    main, second, third_topic = rng.sample(TOPICS, 3)
    phone = rng.random() < 0.1
    verb = rng.choice(MEETING_VERBS)
    hp, gp = host.pronoun, guest.pronoun
    # Keep the two speakers apart even when their surnames coincide.
    if host.surname == guest.surname:
        hs, gs = host.name, guest.name
    else:
        hs, gs = host.surname, guest.surname

    para: list[str] = []
    headline = rng.choice(
        (
            f"{host_c.demonym} and {guest_c.demonym} officials discuss {main[0]} in {city}",
            f"{host.title} {host.name} meets {guest.name}, presses on {main[0]}",
            f"{guest_c.demonym} {guest.title} visits {city} as talks focus on {main[0]}",
            f"{host_c.name.removeprefix('the ').capitalize()}, {guest_c.name.removeprefix('the ')} "
            f"agree to {main[3].split(' ', 1)[1]}",
        )
    )
    para.append(headline)
    if rng.random() < 0.6:
        para.append(f"By {rng.choice(pools.reporters)} | {outlet} | {day.isoformat()}")
    if rng.random() < 0.5:
        para.append(_noise(rng, pools, outlet, day))

    weekday = WEEKDAYS[day.weekday()]
    if phone:
        lead = (
            f"{city.upper()}, {_dateline_date(day)} ({outlet}) -- {host.full()} held a phone call with "
            f"{guest.full()} on {weekday}, the {host_c.demonym} foreign ministry said."
        )
    else:
        lead = (
            f"{city.upper()}, {_dateline_date(day)} ({outlet}) -- {host.full()} {verb} {guest.full()} at "
            f"{venue} in {city} on {weekday}, as the two countries sought to ease tensions over {main[0]}."
        )
    para.append(lead)
    if third is not None:
        para.append(
            f"{third.full()} also joined part of the talks, which were described by both sides as "
            f"{rng.choice(('candid', 'constructive', 'frank', 'productive', 'difficult'))}."
        )
    hours = rng.choice(("two", "three", "four", "nearly five"))
    para.append(
        f"The talks lasted about {hours} hours and were the first in-person meeting between the two "
        f"{rng.choice(('ministers', 'delegations', 'officials'))} since {day.year - rng.randint(1, 6)}. "
        f"They discussed {main[0]}, {second[0]} and {third_topic[0]}, according to a statement released "
        f"after the meeting."
    )
    demand_verb = rng.choice(DEMAND_VERBS)
    connector = "" if demand_verb.endswith("that") else " to"
    target = guest_c.name
    demand = main[1] if demand_verb != "demanded that" else main[1].replace(" its ", f" {guest_c.demonym} ")
    if demand_verb == "demanded that":
        demand_sentence = f"{hs} demanded that {target} {demand}."
    else:
        demand_sentence = f"{hs} {demand_verb} {target}{connector} {demand}."
    para.append(
        f"{demand_sentence} {hp.capitalize()} said {host_c.name} was ready to "
        f"{rng.choice(('deepen cooperation', 'work together', 'keep channels open', 'move forward'))} if the "
        f"{guest_c.demonym} side showed good faith."
    )
    para.append(
        f'"We expect our partners to {second[1]}," {hs} told reporters after the meeting. '
        f'"This is not a matter for negotiation."'
    )
    para.append(
        f"{gs}, for {'her' if gp == 'she' else 'his'} part, {rng.choice(WARN_VERBS)} {main[2]}. "
        f"{gp.capitalize()} {rng.choice(CONCERN_VERBS)} {second[4]} and said {guest_c.name} would "
        f"{rng.choice(('study the proposals', 'respond in due course', 'not accept preconditions'))}."
    )
    if rng.random() < 0.5:
        para.append(_noise(rng, pools, outlet, day))
    agreed = rng.random() < 0.8
    if agreed:
        para.append(
            f"The two sides agreed to {main[3]} and to {third_topic[3]}. They also signed "
            f"{rng.choice(('two', 'three', 'four', 'five'))} memorandums of understanding on "
            f"{rng.choice(('agriculture', 'education', 'tourism', 'infrastructure', 'digital trade'))} and "
            f"{rng.choice(('health', 'culture', 'customs', 'science', 'energy efficiency'))}."
        )
    else:
        para.append(
            f"No agreement was announced, and officials said differences over {main[0]} remained. "
            f"A joint statement was not issued."
        )
    analyst, affiliation = rng.choice(pools.analysts)
    para.append(
        f"{analyst}, a researcher at the {affiliation}, said the meeting showed both governments wanted to "
        f"keep the dispute from escalating. "
        f'"Neither side can afford a breakdown over {main[0]} right now," {analyst.split()[-1]} said.'
    )
    town = rng.choice(pools.towns[guest_c.name])
    para.append(
        f"Relations between {host_c.name} and {guest_c.name} have been strained since an incident near the "
        f"town of {town} in {day.year - 1}, when {third_topic[4]} drew protests in both capitals. "
        f"Trade between the two countries reached {rng.randint(2, 480)} billion dollars last year."
    )
    next_c = rng.choice(COUNTRIES)
    next_month = FULL_MONTHS[(day.month + rng.randint(0, 3)) % 12]
    para.append(
        f"{gs} is expected to travel to {next_c.capital} in {next_month} for a meeting of "
        f"{rng.choice(('G20', 'BRICS', 'ASEAN', 'G7', 'African Union', 'OSCE', 'Arab League'))} foreign ministers, "
        f"where {main[0]} is also on the agenda."
    )
    if rng.random() < 0.7:
        para.append(_noise(rng, pools, outlet, day))
    if rng.random() < 0.4:
        reporter = rng.choice(pools.reporters)
        para.append(f"{reporter} is a {outlet} correspondent covering diplomacy and security.")

    text = "\n\n".join(para) + "\n"
    where = "phone" if phone else city
    questions = [
        {
            "type": "who_met",
            "question": f"Who did {host.name} {'speak with by phone' if phone else 'meet in ' + city}?",
            "answer_keys": [guest.surname],
        },
        {"type": "where_when", "question": f"Where did {host.name} and {guest.name} meet?", "answer_keys": [where]},
        {
            "type": "demands",
            "question": f"What did {host_c.name} ask {guest_c.name} to do about {main[0]}?",
            "answer_keys": [main[1].split()[-1]],
        },
        {
            "type": "side_position",
            "question": f"What did {guest.name} warn about?",
            "answer_keys": [main[2].split()[-1]],
        },
    ]
    if agreed:
        questions.append(
            {
                "type": "outcome",
                "question": f"What did {host_c.demonym} and {guest_c.demonym} officials agree on regarding {main[0]}?",
                "answer_keys": [main[3].split()[-1]],
            }
        )
    filename = f"{index:06d}.txt"
    for q in questions:
        q["article"] = filename
    people = [host.name, guest.name, analyst] + ([third.name] if third else [])
    return GeneratedArticle(filename, text, questions, people, [city, town, venue])


# -- the corpus --------------------------------------------------------------------------------


def _unanswerable(seed: int, count: int) -> list[dict]:
    """Questions about people and places no article mentions: the bot should abstain."""
    rng = random.Random(f"unanswerable:{seed}")
    out = []
    for _ in range(count):
        name = f"{rng.choice(('Quentin', 'Ottoline', 'Bartholomew', 'Philippa'))} {_town(rng)}ski"
        place = _town(rng) + "grad"
        out.append(
            {
                "type": "unanswerable",
                "question": f"What did {name} demand during the talks in {place}?",
                "answer_keys": [],
                "article": None,
            }
        )
    return out


def write_corpus(out: Path, articles: int, seed: int, questions: int = 200) -> dict:
    """Write `articles` .txt files, questions.jsonl (a deterministic sample) and manifest.json."""
    out.mkdir(parents=True, exist_ok=True)
    folder = out / "articles"
    folder.mkdir(exist_ok=True)
    pools = build_pools(seed)
    all_questions: list[dict] = []
    people: set[str] = set()
    places: set[str] = set()
    words = 0
    for i in range(articles):
        art = generate_article(seed, i, pools)
        (folder / art.filename).write_text(art.text, "utf-8")
        all_questions.extend(art.questions)
        people.update(art.people)
        places.update(art.places)
        words += len(art.text.split())
    rng = random.Random(f"questions:{seed}")
    answerable = min(len(all_questions), questions - max(1, questions // 10))
    picked = rng.sample(all_questions, answerable) + _unanswerable(seed, questions - answerable)
    rng.shuffle(picked)
    with (out / "questions.jsonl").open("w", encoding="utf-8") as fh:
        for n, q in enumerate(picked):
            fh.write(json.dumps({"id": f"q{n:04d}", **q}, ensure_ascii=False) + "\n")
    manifest = {
        "seed": seed,
        "articles": articles,
        "questions": len(picked),
        "words": words,
        "distinct_people": len(people),
        "distinct_places": len(places),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2), "utf-8")
    return manifest


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    print(json.dumps(write_corpus(args.out, args.articles, args.seed, args.questions)))


if __name__ == "__main__":
    main()
