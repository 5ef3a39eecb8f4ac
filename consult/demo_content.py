"""Demo content for the consult site (pure data).

The texts are written for the demo from the facts of public press releases of the
Latvian Ministry of Welfare and the Riga Planning Region. No real person's name,
phone number or e-mail address appears here.

Day offsets ("opens_in_days", "closes_in_days", "published_in_days") are relative
to the moment the demo content is loaded. News dates are absolute (ISO format).
Document "text" values are plain ASCII lines written into small generated PDFs.
"""

from __future__ import annotations

CONSULTATIONS = [
    # 1. Guidelines for the Development of Social Services 2014–2020
    {
        "slug": "social-services-guidelines-2014-2020",
        "status": "open",
        "opens_in_days": -14,
        "closes_in_days": 30,
        "moderation_mode": "pre",
        "title": {"lv": "Pamatnostādnes sociālo pakalpojumu attīstībai 2014.–2020. gadam",
         "en": "Guidelines for the Development of Social Services 2014–2020"},
        "summary": {"lv": "Labklājības ministrija aicina iedzīvotājus, nevalstiskās organizācijas un pašvaldības izteikt viedokli par pamatnostādņu projektu, kas nosaka, kā sociālie pakalpojumi attīstīsies turpmākajos septiņos gados. Projektu sagatavoja darba grupa, kurā strādāja ministrijas, pašvaldību, valsts iestāžu un nevalstisko organizāciju pārstāvji, kā arī nozares eksperti. Komentēt var katru sadaļu un katru tās punktu. Visus priekšlikumus izvērtēs, pirms projektu iesniegs izskatīšanai valdībā.",
         "en": "The Ministry of Welfare invites residents, NGOs and municipalities to give their views on draft guidelines that set out how social services will develop over the next seven years. The draft was prepared by a working group of representatives of the ministry, municipalities, state bodies and NGOs, together with experts in the field. You can comment on each section and on each of its paragraphs. Every proposal will be considered before the draft goes to the government."},
        "institution": {"lv": "Labklājības ministrija", "en": "Ministry of Welfare"},
        "versions": [
            {
                "number": 1,
                "change_note": {"lv": "Pamatnostādņu projekta pirmā versija, publicēta konsultācijai.",
                 "en": "First version of the draft guidelines, published for consultation."},
                "published_in_days": -14,
            },
        ],
        "sections": [
            {
                "number": 1,
                "title": {"lv": "Pašreizējā situācija un galvenās problēmas",
                 "en": "Current situation and main problems"},
                "paragraphs": [
                    {"lv": "Sociālo pakalpojumu sistēma Latvijā joprojām lielā mērā balstās uz ilgstošas sociālās aprūpes un sociālās rehabilitācijas institūcijām. Daudzi cilvēki, kuriem vajadzīgs atbalsts, to var saņemt tikai tālu no mājām, jo dzīvesvietā piemērotu pakalpojumu nav vai to ir par maz.",
                     "en": "Social services in Latvia still rely heavily on long-term social care and social rehabilitation institutions. Many people who need support can only get it far from home, because suitable services are missing or scarce where they live."},
                    {"lv": "Darba grupas trīs apakšgrupas izvērtēja situāciju ilgstošajā sociālajā aprūpē un sociālajā rehabilitācijā, alternatīvajos sociālajos pakalpojumos, profesionālajā rehabilitācijā un tehnisko palīglīdzekļu nodrošināšanā. Katrā jomā tās apzināja galvenās problēmas un piedāvāja iespējamos risinājumus.",
                     "en": "The three subgroups of the working group reviewed long-term social care and social rehabilitation, alternative social services, vocational rehabilitation and the provision of technical aids. For each area they identified the main problems and proposed possible solutions."},
                    {"lv": "Pakalpojumu pieejamība dažādās pašvaldībās būtiski atšķiras. Alternatīvās aprūpes pakalpojumi daudzviet vēl tikai veidojas, bet Eiropas Savienības fondu projektos izveidoto pakalpojumu turpmākā darbība ne vienmēr ir nodrošināta.",
                     "en": "Access to services differs widely from one municipality to another. In many places alternative care services are only starting to develop, and services set up through EU-funded projects are not always secured once the projects end."},
                    {"lv": "Pakalpojumu saturu un apjomu pašlaik ir grūti pielāgot katra cilvēka vajadzībām. Jāuzlabo arī kvalitātes uzraudzība, piemēram, pašvaldību sociālās aprūpes centros un attiecībā uz pakalpojumu sniedzējiem, kuri nav reģistrējušies.",
                     "en": "At present it is hard to adapt the content and amount of a service to each person's needs. Quality supervision also needs to improve, for example in municipal social care centres and with regard to service providers that have not registered."},
                ],
            },
            {
                "number": 2,
                "title": {"lv": "Mērķis un apakšmērķi", "en": "Goal and sub-goals"},
                "paragraphs": [
                    {"lv": "Pamatnostādņu mērķis ir efektīva, kvalitatīva un ilgtspējīga sociālo pakalpojumu sistēma, kurā pakalpojumi ir balstīti sabiedrībā, ir iekļaujoši un atbilst katra cilvēka individuālajām vajadzībām.",
                     "en": "The goal of the guidelines is an effective, high-quality and sustainable system of social services in which services are community-based, inclusive and matched to each person's individual needs."},
                    {"lv": "Pirmais apakšmērķis ir uzlabot sociālo pakalpojumu pieejamību. Vajadzīgajam atbalstam jābūt pieejamam pēc iespējas tuvāk cilvēka dzīvesvietai neatkarīgi no tā, kurā pašvaldībā viņš dzīvo.",
                     "en": "The first sub-goal is better availability of social services. People should be able to get the support they need as close to home as possible, whichever municipality they live in."},
                    {"lv": "Otrais apakšmērķis ir uzlabot sociālo pakalpojumu kvalitāti. Pakalpojumiem jābūt vērstiem uz cilvēku, mērķtiecīgiem un efektīviem, un tiem jāsasniedz iecerētais rezultāts.",
                     "en": "The second sub-goal is better quality of social services. Services should be person-centred, targeted and effective, and they should actually achieve what they are meant to achieve."},
                    {"lv": "Lai mērķi sasniegtu, darbības plānotas trīs rīcības virzienos. Tie aprakstīti nākamajās trīs sadaļās.",
                     "en": "To reach the goal, action is planned in three directions. They are described in the next three sections."},
                ],
            },
            {
                "number": 3,
                "title": {"lv": "Mazāk institūciju un mazāk cilvēku ilgstošā aprūpē",
                 "en": "Fewer institutions and fewer people in long-term care"},
                "paragraphs": [
                    {"lv": "Pirmais rīcības virziens ir samazināt gan ilgstošas sociālās aprūpes un sociālās rehabilitācijas institūciju skaitu, gan tajās dzīvojošo cilvēku skaitu. Lielos aprūpes centrus pakāpeniski aizstās sabiedrībā balstīti un ģimeniskai videi pietuvināti pakalpojumi.",
                     "en": "The first direction is to reduce both the number of long-term social care and social rehabilitation institutions and the number of people living in them. Large care centres will gradually be replaced by community-based services and services in a family-like setting."},
                    {"lv": "Bērniem, kuri pašlaik dzīvo sociālās aprūpes centros, jādod iespēja augt ģimenē vai ģimeniskā vidē. Bērniem ar funkcionāliem traucējumiem sociālā aprūpe un rehabilitācija jānodrošina viņu dzīvesvietas pašvaldībā.",
                     "en": "Children who now live in social care centres should have the chance to grow up in a family or a family-like setting. Children with functional impairments should receive social care and rehabilitation in their own municipality."},
                    {"lv": "Pieaugušie ar garīga rakstura traucējumiem ar speciālistu atbalstu varēs izvēlēties dzīvot patstāvīgi un strādāt savām spējām piemērotu darbu. Pārmaiņas notiks pakāpeniski un sadarbībā ar pašvaldībām, lai neviens nepaliktu bez vajadzīgā atbalsta.",
                     "en": "Adults with mental disabilities will be able to choose, with help from specialists, to live on their own and to do work that suits their abilities. The change will be gradual and made together with municipalities, so that nobody is left without the support they need."},
                    {"lv": "Ministrija kopā ar pašvaldībām sagatavos detalizētu deinstitucionalizācijas rīcības plānu. Tā īstenošanai paredzēts izmantot Eiropas Savienības struktūrfondu finansējumu.",
                     "en": "Together with municipalities, the ministry will prepare a detailed action plan for deinstitutionalisation. It is to be carried out with funding from the EU structural funds."},
                ],
            },
            {
                "number": 4,
                "title": {"lv": "Sabiedrībā balstīti un pēctecīgi pakalpojumi",
                 "en": "Continuous community-based services"},
                "paragraphs": [
                    {"lv": "Otrais rīcības virziens ir sabiedrībā balstīti sociālie pakalpojumi, kas ir pēctecīgi un atbilst klienta individuālajām vajadzībām. Pakalpojumiem jāveido vienota ķēde, lai cilvēks, mainoties viņa situācijai, bez pārtraukuma varētu pāriet no viena atbalsta veida uz citu.",
                     "en": "The second direction is community-based social services that follow on from one another and match the client's individual needs. Services should form one chain, so that when a person's situation changes they can move from one kind of support to the next without a break."},
                    {"lv": "Pašvaldībās jāpaplašina alternatīvās aprūpes un sociālās rehabilitācijas pakalpojumu klāsts, lai atbalstu varētu saņemt dzīvesvietā. Pieaugušajiem ar smagiem funkcionāliem traucējumiem, arī ar smagiem garīga rakstura traucējumiem, paredzēts ieviest atbalsta personas pakalpojumu.",
                     "en": "Municipalities need to widen the range of alternative care and social rehabilitation services, so that support is available where people live. A support person service will be introduced for adults with severe functional impairments, including severe mental disabilities."},
                    {"lv": "Tehniskajiem palīglīdzekļiem un profesionālajai rehabilitācijai jāpalīdz cilvēkam ar invaliditāti pašam par sevi parūpēties, ilgāk dzīvot savās mājās un atrast vai saglabāt darbu. Šie pakalpojumi jāsasaista ar pārējo atbalstu, ko cilvēks saņem.",
                     "en": "Technical aids and vocational rehabilitation should help a person with a disability to look after themselves, stay in their own home for longer and find or keep a job. These services should be linked to the rest of the support the person receives."},
                    {"lv": "Jo vairāk tiek izmantotas un stiprinātas paša cilvēka spējas un resursi, jo mazāk vajadzīga ilgstoša aprūpe institūcijā. Tāpēc pakalpojumu plānošana jāsāk ar individuālo vajadzību izvērtēšanu.",
                     "en": "The more a person's own abilities and resources are used and strengthened, the less they need long-term care in an institution. That is why planning a service should start with an assessment of individual needs."},
                ],
            },
            {
                "number": 5,
                "title": {"lv": "Efektīva sociālo pakalpojumu pārvaldība",
                 "en": "Effective management of social services"},
                "paragraphs": [
                    {"lv": "Trešais rīcības virziens ir efektīva sociālo pakalpojumu pārvaldība. Valsts un pašvaldību pienākumiem jābūt skaidri sadalītiem, un pakalpojumi jāplāno, balstoties uz datiem par iedzīvotāju vajadzībām.",
                     "en": "The third direction is effective management of social services. The duties of the state and of municipalities should be clearly divided, and services should be planned on the basis of data about people's needs."},
                    {"lv": "Pašvaldību sociālās aprūpes centri veiks pašnovērtējumu pēc ministrijas noteiktajiem kritērijiem un īstenos plānu, kā novērst atklātos trūkumus. Pašvaldības informēs ministriju par pakalpojumu sniedzējiem, kuri nav reģistrēti.",
                     "en": "Municipal social care centres will assess themselves against criteria set by the ministry and follow a plan to put right the shortcomings they find. Municipalities will tell the ministry about service providers that are not registered."},
                    {"lv": "Ne katrai pašvaldībai ir ekonomiski pamatoti pašai attīstīt visus vajadzīgos pakalpojumus. Tāpēc jāveicina kaimiņu pašvaldību sadarbība un pakalpojumu plānošana reģionu līmenī.",
                     "en": "It does not make economic sense for every municipality to develop every service on its own. Cooperation between neighbouring municipalities and service planning at regional level should therefore be encouraged."},
                    {"lv": "Jāpārskata, kā tiek nodrošināti tehniskie palīglīdzekļi un profesionālā rehabilitācija, lai cilvēks vajadzīgo atbalstu saņemtu laikus un bez liekiem šķēršļiem.",
                     "en": "The way technical aids and vocational rehabilitation are provided should be reviewed, so that people get the support they need in good time and without needless obstacles."},
                ],
            },
            {
                "number": 6,
                "title": {"lv": "Finansējums un individuālā budžeta modelis",
                 "en": "Financing and the individual budget model"},
                "paragraphs": [
                    {"lv": "Valsts un pašvaldību finansētie pakalpojumi pašlaik ir pārāk neelastīgi: to saturu un apjomu bieži vien nevar pielāgot konkrēta cilvēka vajadzībām.",
                     "en": "Services funded by the state and municipalities are currently too rigid: their content and amount often cannot be adapted to a particular person's needs."},
                    {"lv": "Kā vienu no iespējamajiem risinājumiem ministrija izvērtē individuālā budžeta modeli, ko jau izmanto vairākās Eiropas Savienības valstīs. Cilvēka vajadzības izvērtē individuāli, un viņš pats izvēlas, kādiem pakalpojumiem izlietot piešķirto finansējumu, ja vien tas palīdz sasniegt atbalsta plānā noteiktos mērķus.",
                     "en": "As one possible solution, the ministry is looking at the individual budget model, which is already used in several EU countries. A person's needs are assessed individually, and the person chooses which services to spend the allocated money on, as long as this helps to reach the goals set in their support plan."},
                    {"lv": "Domnīcās, kurās piedalījās pašvaldību un pakalpojumu sniedzēju pārstāvji, eksperti ieteica Latvijā pārņemt atsevišķus šī modeļa elementus. Jaunos finansēšanas mehānismus vispirms izmēģinās praksē, un izmēģinājumā kopumā piedalīsies 630 cilvēki ar garīga rakstura traucējumiem un bērni ar funkcionāliem traucējumiem.",
                     "en": "At think tanks attended by representatives of municipalities and service providers, experts recommended that Latvia take over certain elements of this model. The new financing mechanisms will first be tested in practice, in a pilot involving 630 people in total: people with mental disabilities and children with functional impairments."},
                    {"lv": "Pakalpojumu attīstību un deinstitucionalizāciju paredzēts finansēt no Eiropas Savienības fondiem, tostarp Eiropas Sociālā fonda, kopā ar valsts budžeta līdzekļiem. Pašvaldībām jau laikus jāplāno, kā projektos izveidotos pakalpojumus uzturēt arī pēc projektu beigām.",
                     "en": "Service development and deinstitutionalisation will be funded from EU funds, including the European Social Fund, together with the state budget. Municipalities should plan early how to keep services created in projects running after the projects end."},
                ],
            },
            {
                "number": 7,
                "title": {"lv": "Īstenošana un uzraudzība", "en": "Implementation and monitoring"},
                "paragraphs": [
                    {"lv": "Pamatnostādnes īstenos Labklājības ministrija ciešā sadarbībā ar pašvaldībām, plānošanas reģioniem, nevalstiskajām organizācijām un pakalpojumu sniedzējiem.",
                     "en": "The Ministry of Welfare will implement the guidelines in close cooperation with municipalities, planning regions, NGOs and service providers."},
                    {"lv": "Īstenošanas gaitu pārraudzīs Sociālo pakalpojumu attīstības padome. Ministrija regulāri apkopos datus par pakalpojumu pieejamību un kvalitāti, kā arī par to, cik cilvēku dzīvo ilgstošas aprūpes institūcijās.",
                     "en": "Progress will be overseen by the Social Services Development Council. The ministry will regularly collect data on the availability and quality of services and on how many people live in long-term care institutions."},
                    {"lv": "Perioda vidū ministrija sagatavos starpposma novērtējumu, bet pēc perioda beigām — gala novērtējumu. Ja situācija mainīsies, uzdevumus varēs precizēt.",
                     "en": "Halfway through the period the ministry will prepare an interim review, and a final review once the period is over. If circumstances change, the tasks can be adjusted."},
                ],
            },
        ],
        "subgroups": [
            {
                "name": {"lv": "Institucionālā aprūpe un alternatīvie aprūpes pakalpojumi deinstitucionalizācijas nodrošināšanai",
                 "en": "Institutional care and alternative care services for deinstitutionalisation"},
                "description": {"lv": "Izvērtē ilgstošas sociālās aprūpes un sociālās rehabilitācijas institūciju darbu un gatavo priekšlikumus pakāpeniskai pārejai uz sabiedrībā balstītiem pakalpojumiem.",
                 "en": "Reviews the work of long-term social care and social rehabilitation institutions and prepares proposals for a gradual move to community-based services."},
                "sections": [1, 2, 3, 5, 6, 7],
            },
            {
                "name": {"lv": "Pārējie alternatīvie aprūpes pakalpojumi un sociālā rehabilitācija",
                 "en": "Other alternative care services and social rehabilitation"},
                "description": {"lv": "Pievēršas citiem institucionālajai aprūpei alternatīviem pakalpojumiem un sociālās rehabilitācijas pakalpojumiem cilvēka dzīvesvietā.",
                 "en": "Works on other alternatives to institutional care and on social rehabilitation services where people live."},
                "sections": [1, 2, 4, 6, 7],
            },
            {
                "name": {"lv": "Tehniskie palīglīdzekļi un profesionālā rehabilitācija",
                 "en": "Technical aids and vocational rehabilitation"},
                "description": {"lv": "Izvērtē, kā cilvēki ar invaliditāti saņem tehniskos palīglīdzekļus un profesionālās rehabilitācijas pakalpojumus, un iesaka, kā šo atbalstu uzlabot.",
                 "en": "Looks at how people with disabilities receive technical aids and vocational rehabilitation services, and recommends how this support can be improved."},
                "sections": [1, 2, 4, 5, 6, 7],
            },
        ],
        "news": [
            {
                "slug": "working-group-and-subgroups-2012",
                "date": "2012-09-20",
                "title": {"lv": "Darba grupa strādā pie sociālo pakalpojumu pamatnostādnēm", "en": ""},
                "body": {"lv": "Jūlijā Labklājības ministrija izveidoja darba grupu, kas sagatavos pamatnostādnes sociālo pakalpojumu attīstībai. Tajā strādā ministrijas, nevalstisko organizāciju, pašvaldību un valsts iestāžu pārstāvji, kā arī sociālās jomas speciālisti un eksperti.\n\nLai darbs ritētu raitāk, darba grupa uz laiku sadalīta trīs apakšgrupās. Pirmā pievēršas institucionālajai aprūpei un alternatīvajiem aprūpes pakalpojumiem deinstitucionalizācijas nodrošināšanai, otrā — pārējiem alternatīvajiem aprūpes pakalpojumiem un sociālajai rehabilitācijai, trešā — tehniskajiem palīglīdzekļiem un profesionālajai rehabilitācijai.\n\nApakšgrupas jau apkopojušas priekšlikumus par galvenajām problēmām un iespējamajiem risinājumiem. Darba grupa ir vienojusies par pamatnostādņu mērķi un trim rīcības virzieniem.\n\nPirms projektu iesniegs valdībā, ministrija rīkos publisku konsultāciju, lai ikviens varētu izteikt savu viedokli.",
                 "en": ""},
            },
            {
                "slug": "meeting-with-municipalities-2013",
                "date": "2013-04-26",
                "title": {"lv": "Ministrija un pašvaldības vienojas par ciešāku sadarbību sociālo pakalpojumu jomā",
                 "en": "Ministry and municipalities agree to work more closely on social services"},
                "body": {"lv": "Piektdien, 26. aprīlī, notika Labklājības ministrijas un Latvijas Pašvaldību savienības ikgadējās sarunas. Puses vienojās ciešāk sadarboties, risinot sociālos jautājumus un pilnveidojot sociālos pakalpojumus.\n\nSarunās sprieda, kā pašvaldībās padarīt pieejamākus alternatīvās aprūpes pakalpojumus un kā panākt, lai Eiropas Savienības struktūrfondu projektos izveidotie pakalpojumi turpinātu darboties. Dalībnieki nonāca pie kopīga skatījuma uz sociālo pakalpojumu attīstību, arī uz pakāpenisku deinstitucionalizāciju, un tas tiks iekļauts pamatnostādnēs.\n\nPašvaldību sociālās aprūpes centri veiks pašnovērtējumu pēc ministrijas kritērijiem un novērsīs atklātos trūkumus, bet pašvaldības ziņos ministrijai par nereģistrētiem pakalpojumu sniedzējiem. Detalizētu deinstitucionalizācijas rīcības plānu ministrija kopā ar pašvaldībām izstrādās nākamgad.\n\nSarunās apsprieda arī topošās pamatnostādnes profesionāla sociālā darba attīstībai. Pašvaldību savienība piekrita ministrijas apzinātajām problēmām un principā atbalstīja piedāvātos risinājumus.",
                 "en": "On Friday, 26 April, the Ministry of Welfare and the Latvian Association of Local and Regional Governments held their annual talks. Both sides agreed to work more closely on social issues and on improving social services.\n\nThe talks covered how to make alternative care services easier to get in municipalities and how to keep services set up in EU structural fund projects running. The participants reached a shared view on how social services should develop, including gradual deinstitutionalisation, and this view will be included in the guidelines.\n\nMunicipal social care centres will assess themselves against the ministry's criteria and fix the shortcomings they find, and municipalities will report unregistered service providers to the ministry. The ministry and municipalities will draw up a detailed action plan for deinstitutionalisation next year.\n\nThe draft guidelines on developing professional social work were also discussed. The association agreed with the problems the ministry had identified and supported the proposed solutions in principle."},
            },
            {
                "slug": "think-tanks-community-services-2017",
                "date": "2017-06-12",
                "title": {"lv": "Domnīcās spriež par sabiedrībā balstītu pakalpojumu finansēšanu",
                 "en": "Think tanks discuss how to fund community-based services"},
                "body": {"lv": "Jūnijā ministrijā notika divas domnīcas, kurās pašvaldību un sociālo pakalpojumu sniedzēju pārstāvji vērtēja, kā pašlaik tiek nodrošināti sabiedrībā balstīti sociālie pakalpojumi. Diskusijas bija daļa no pētījuma par šo pakalpojumu sniegšanu un finansēšanu, kas tapa Eiropas Sociālā fonda līdzfinansētā projektā „Sociālo pakalpojumu atbalsta sistēmas pilnveide”.\n\nDomnīcu secinājumus izmantos, veidojot finansēšanas mehānismus pakalpojumiem pieaugušajiem ar garīga rakstura traucējumiem un bērniem ar funkcionāliem traucējumiem. Viens no apspriestajiem risinājumiem ir individuālā budžeta modelis, kurā cilvēks pats izvēlas, kādiem pakalpojumiem izlietot finansējumu atbilstoši savam atbalsta plānam.\n\nEksperti atzina, ka pašreizējā kārtība ir pārāk neelastīga, un ieteica pārņemt atsevišķus individuālā budžeta elementus. Izstrādātos mehānismus pēc tam pārbaudīs izmēģinājumprojektos.",
                 "en": "In June the ministry held two think tanks at which representatives of municipalities and social service providers looked at how community-based social services are provided today. The discussions were part of a study of how these services are delivered and funded, carried out in the ESF co-funded project \"Improving the Social Services Support System\".\n\nThe conclusions will be used to design ways of funding services for adults with mental disabilities and children with functional impairments. One of the options discussed is the individual budget model, in which a person decides which services to spend the funding on, in line with their support plan.\n\nThe experts agreed that the current arrangements are too rigid and recommended taking over some elements of the individual budget model. The new mechanisms will then be tried out in pilot projects."},
            },
        ],
        "faq": [
            {
                "question": {"lv": "Kas var komentēt pamatnostādņu projektu?",
                 "en": "Who can comment on the draft guidelines?"},
                "answer": {"lv": "Komentēt var ikviens reģistrēts lietotājs, kurš ir apstiprinājis savu e-pasta adresi. Komentāru var pievienot visai sadaļai vai kādam tās punktam. Projektu un publicētos komentārus var lasīt arī bez reģistrēšanās.",
                 "en": "Anyone with a registered account and a confirmed e-mail address can comment. You can comment on a whole section or on one of its paragraphs. Anyone can read the draft and the published comments without registering."},
            },
            {
                "question": {"lv": "Kā tiek moderēti komentāri?", "en": "How are comments moderated?"},
                "answer": {"lv": "Šajā konsultācijā komentāri tiek pārbaudīti pirms publicēšanas: tie kļūst redzami tikai pēc moderatora apstiprinājuma. Aizskarošus, nelikumīgus vai ar tēmu nesaistītus komentārus moderators noraida, un autors saņem paziņojumu ar iemeslu.",
                 "en": "In this consultation comments are checked before they are published: they appear only after a moderator has approved them. The moderator rejects comments that are abusive, unlawful or off topic, and the author is told the reason."},
            },
            {
                "question": {"lv": "Kas notiks pēc konsultācijas beigām?",
                 "en": "What happens after the consultation closes?"},
                "answer": {"lv": "Darba grupa izvērtēs visus komentārus un viedokļus un par katru priekšlikumu sniegs atbildi ar pamatojumu. Rezultātu pārskatu publicēs šajā vietnē, un pēc tam ministrija iesniegs precizēto projektu izskatīšanai valdībā.",
                 "en": "The working group will go through every comment and position and give a reasoned response to each proposal. The outcome report will be published on this site, and the ministry will then submit the revised draft to the government."},
            },
            {
                "question": {"lv": "Vai pie mana komentāra būs redzams mans vārds?",
                 "en": "Will my name be shown with my comment?"},
                "answer": {"lv": "To izvēlaties jūs pats. Pie komentāra var rādīt jūsu vārdu vai tikai respondenta veidu, piemēram, „iedzīvotājs”. Jūsu e-pasta adresi nepublicē nekad.",
                 "en": "That is your choice. Your comment can show your name or only the type of respondent, for example \"resident\". Your e-mail address is never published."},
            },
            {
                "question": {"lv": "Kā organizācija var iesniegt savu viedokli?",
                 "en": "How can an organisation submit its position?"},
                "answer": {"lv": "Organizācijas pārstāvis var iesniegt oficiālu viedokli organizācijas vārdā, ja vietnes administrators ir verificējis organizāciju. Viedokli var attiecināt uz visu projektu vai uz atsevišķām sadaļām, un tam var pievienot PDF datni.",
                 "en": "A representative of an organisation can submit a formal position on its behalf once the site administrator has verified the organisation. The position can cover the whole draft or selected sections, and a PDF file can be attached."},
            },
        ],
        "documents": [
            {
                "title": {"lv": "Pamatnostādņu projekts (1. versija)", "en": "Draft guidelines (version 1)"},
                "filename": "pamatnostadnes-projekts.pdf",
                "text": "Guidelines for the Development of Social Services 2014-2020\nDraft for public consultation, version 1\nMinistry of Welfare of the Republic of Latvia\nGoal: an effective, high-quality and sustainable system of\ncommunity-based, inclusive social services.\nDemo document generated for the consult site.",
            },
            {
                "title": {"lv": "Pielikums: pētījums par individuālā budžeta modeli",
                 "en": "Annex: study on the individual budget model"},
                "filename": "individuala-budzeta-modelis.pdf",
                "text": "Annex. Study on the individual budget model\nAnalysis of how community-based social services are provided and funded\nIndividual needs assessment and free choice within a support plan\nPilot: 630 participants\nDemo document generated for the consult site.",
            },
            {
                "title": {"lv": "Kopsavilkums par tikšanos ar pašvaldībām 2013. gada 26. aprīlī",
                 "en": "Summary of the meeting with municipalities, 26 April 2013"},
                "filename": "tiksanas-ar-pasvaldibam-2013.pdf",
                "text": "Summary of the annual talks with municipalities, 26 April 2013\nTopics: alternative care services, sustainability of EU fund projects,\ngradual deinstitutionalisation, self-assessment of social care centres.\nDemo document generated for the consult site.",
            },
        ],
    },
    # 2. Social Services Programme of the Riga Planning Region
    {
        "slug": "riga-region-social-services-programme",
        "status": "closed",
        "opens_in_days": -200,
        "closes_in_days": -140,
        "moderation_mode": "post",
        "title": {"lv": "Rīgas plānošanas reģiona sociālo pakalpojumu programma",
         "en": "Social Services Programme of the Riga Planning Region"},
        "summary": {"lv": "Rīgas plānošanas reģions aicināja iedzīvotājus, pašvaldības un organizācijas izteikt viedokli par programmu, kas plāno alternatīvo sociālo pakalpojumu attīstību reģionā. Tas ir pirmais reģiona vidēja termiņa plānošanas dokuments alternatīvās sociālās aprūpes un sociālās rehabilitācijas jomā. Konsultācija ir slēgta, un iesniegtos komentārus pašlaik izvērtē.",
         "en": "The Riga Planning Region invited residents, municipalities and organisations to comment on a programme for developing alternative social services in the region. It is the region's first medium-term planning document on alternative social care and social rehabilitation. The consultation is closed and the comments received are being reviewed."},
        "institution": {"lv": "Rīgas plānošanas reģions", "en": "Riga Planning Region"},
        "versions": [
            {
                "number": 1,
                "change_note": {"lv": "Programmas projekts, publicēts konsultācijai.",
                 "en": "Draft programme, published for consultation."},
                "published_in_days": -200,
            },
        ],
        "sections": [
            {
                "number": 1,
                "title": {"lv": "Kāpēc programma ir vajadzīga", "en": "Why the programme is needed"},
                "paragraphs": [
                    {"lv": "Sociālo pakalpojumu un sociālās palīdzības likums nosaka, ka sociālos pakalpojumus un sociālo palīdzību iedzīvotājiem sniedz pašvaldības. Katra pašvaldība tos attīsta atbilstoši saviem stratēģiskajiem dokumentiem, attīstības plāniem un finanšu iespējām.",
                     "en": "Under the Law on Social Services and Social Assistance, municipalities provide social services and social assistance to their residents. Each municipality develops them in line with its own strategy documents, development plans and budget."},
                    {"lv": "Tomēr katrā pašvaldībā atsevišķi veidot visus vajadzīgos pakalpojumus nav ekonomiski pamatoti. Plānojot pakalpojumus reģiona līmenī, var panākt plašāku pakalpojumu klāstu, attīstīt alternatīvus pakalpojumus un veicināt pašvaldību sadarbību, lai iedzīvotājiem būtu pēc iespējas vienlīdzīgas iespējas saņemt vajadzīgo atbalstu.",
                     "en": "However, it makes no economic sense for each municipality to build every service it needs on its own. Planning services at regional level makes it possible to offer a wider range, develop alternative services and encourage municipalities to work together, so that residents have as equal a chance as possible of getting the support they need."},
                    {"lv": "Programma izstrādāta Eiropas Sociālā fonda līdzfinansētā projektā apakšaktivitātes 1.4.1.2.4. „Sociālās rehabilitācijas un institūcijām alternatīvu sociālās aprūpes pakalpojumu attīstība reģionos” pirmās kārtas ietvaros.",
                     "en": "The programme was prepared in a project co-funded by the European Social Fund, under the first round of sub-activity 1.4.1.2.4 on developing social rehabilitation and alternatives to institutional social care in the regions."},
                ],
            },
            {
                "number": 2,
                "title": {"lv": "Programmas mērķis", "en": "Aim of the programme"},
                "paragraphs": [
                    {"lv": "Programmas mērķis ir, lai alternatīvie sociālie pakalpojumi reģionā attīstītos plānoti un efektīvi. Programmai jākalpo par pamatu alternatīvo sociālo pakalpojumu plānošanai visās reģiona pašvaldībās.",
                     "en": "The aim of the programme is for alternative social services in the region to develop in a planned and effective way. It is meant to serve as the basis for planning alternative social services in all municipalities of the region."},
                    {"lv": "Pakalpojumiem jāpalīdz cilvēkiem ar funkcionāliem traucējumiem un viņu ģimenes locekļiem, bezpajumtniekiem un citām sociālās atstumtības riskam pakļautām iedzīvotāju grupām uzlabot sociālās un funkcionālās prasmes. Tā šie cilvēki varēs vieglāk atrast darbu un iekļauties sabiedrībā.",
                     "en": "The services should help people with functional impairments and their families, homeless people and other groups at risk of social exclusion to improve their social and practical skills. This will make it easier for them to find work and take part in society."},
                ],
            },
            {
                "number": 3,
                "title": {"lv": "Pakalpojumi un pašvaldību attīstības modeļi",
                 "en": "Services and municipal development models"},
                "paragraphs": [
                    {"lv": "Izvērtējot reģiona pašvaldību iedzīvotāju vajadzības, noteikti pakalpojumi, kas jāattīsta. Programmā kopā ir 22 pakalpojumi, un katrs no tiem ir sīki aprakstīts un iedalīts atbilstoši likumā noteiktajiem sociālo pakalpojumu veidiem.",
                     "en": "The services that need to be developed were chosen after looking at the needs of people living in the region's municipalities. The programme lists 22 services, each described in detail and grouped by the types of social service set out in the law."},
                    {"lv": "Katrai pašvaldībai sagatavots savs pakalpojumu attīstības modelis. Tajā norādīti alternatīvie sociālie pakalpojumi, kurus pašvaldība uzskata par prioritāriem un kuru izveidi vai pilnveidi tā ir gatava atbalstīt.",
                     "en": "Each municipality has its own service development model. It shows which alternative social services the municipality treats as priorities and is ready to help create or improve."},
                    {"lv": "Modeļi palīdz pašvaldībām saprast, kurus pakalpojumus izdevīgāk veidot kopā ar kaimiņu pašvaldībām, jo vienai pašvaldībai to uzturēšana finansiālu vai citu iemeslu dēļ nebūtu saprātīga.",
                     "en": "The models help municipalities see which services are better set up together with their neighbours, because running them alone would not be sensible for financial or other reasons."},
                ],
            },
            {
                "number": 4,
                "title": {"lv": "Rezultatīvie rādītāji un programmas aktualizēšana",
                 "en": "Results, indicators and updates"},
                "paragraphs": [
                    {"lv": "Programma tapa ciešā sadarbībā ar visām reģiona pašvaldībām. Kopā ar tām sagatavotas rezultatīvo rādītāju prognozes turpmākajiem gadiem, proti, cik klientu sagaidāms katrā pakalpojumā.",
                     "en": "The programme was drawn up in close cooperation with all the municipalities of the region. Together with them, forecasts of result indicators were made for the coming years, showing how many clients each service is expected to have."},
                    {"lv": "Šīs prognozes būs pamats, lai izvērtētu, vai konkrētajā pašvaldībā pakalpojums ir lietderīgs. Programmā noteikta arī kārtība, kā programmu regulāri aktualizē un koriģē, izmantojot pašu pašvaldību sniegto informāciju.",
                     "en": "These forecasts will be the basis for judging whether a service is worthwhile in a given municipality. The programme also sets out how it will be updated and corrected regularly, using information provided by the municipalities themselves."},
                    {"lv": "Programmas pilno tekstu, pielikumus un īso versiju var atrast dokumentu sadaļā.",
                     "en": "The full text of the programme, its annexes and a short version are available in the documents section."},
                ],
            },
        ],
        "subgroups": [
            {
                "name": {"lv": "Pašvaldību sociālo dienestu apakšgrupa",
                 "en": "Municipal social services subgroup"},
                "description": {"lv": "Reģiona pašvaldību sociālo dienestu pārstāvji, kuri izvērtē komentārus par pakalpojumiem, pašvaldību attīstības modeļiem un rezultatīvajiem rādītājiem.",
                 "en": "Representatives of the social services of the region's municipalities, who review the comments on the services, the municipal development models and the result indicators."},
                "sections": [1, 2, 3, 4],
            },
        ],
        "news": [
            {
                "slug": "riga-region-programme-open-for-comments",
                "date": "2018-12-11",
                "title": {"lv": "Aicinām izteikt viedokli par reģiona sociālo pakalpojumu programmu",
                 "en": "Have your say on the region's social services programme"},
                "body": {"lv": "Rīgas plānošanas reģions ir sagatavojis programmu, kas palīdzēs reģiona pašvaldībām plānot alternatīvās sociālās aprūpes un sociālās rehabilitācijas pakalpojumus. Programmā aprakstīti 22 pakalpojumi, un katrai pašvaldībai ir savs attīstības modelis.\n\nIedzīvotāji, pašvaldības un organizācijas var komentēt programmas projektu šajā vietnē. Komentāri parādās uzreiz, un moderators tos pārskata pēc publicēšanas.",
                 "en": "The Riga Planning Region has prepared a programme to help the region's municipalities plan alternative social care and social rehabilitation services. The programme describes 22 services, and each municipality has its own development model.\n\nResidents, municipalities and organisations can comment on the draft programme on this site. Comments appear at once and a moderator reviews them after publication."},
            },
        ],
        "faq": [
            {
                "question": {"lv": "Vai vēl var iesniegt komentārus?", "en": "Can I still submit comments?"},
                "answer": {"lv": "Nē, konsultācija ir slēgta. Publicētos komentārus joprojām var lasīt, un tiklīdz būs gatavs rezultātu pārskats, tas tiks publicēts šajā lapā.",
                 "en": "No, the consultation is closed. You can still read the published comments, and the outcome report will appear on this page as soon as it is ready."},
            },
            {
                "question": {"lv": "Kur var saņemt programmas īso versiju?",
                 "en": "Where can I get the short version of the programme?"},
                "answer": {"lv": "Īsā versija ir pieejama dokumentu sadaļā. Drukātu eksemplāru var saņemt klātienē Rīgas plānošanas reģiona administrācijā Rīgā.",
                 "en": "The short version is available in the documents section. A printed copy can be collected in person from the Riga Planning Region's office in Riga."},
            },
        ],
        "documents": [
            {
                "title": {"lv": "Programmas īsā versija", "en": "Short version of the programme"},
                "filename": "riga-regiona-programma-isa-versija.pdf",
                "text": "Social Services Programme of the Riga Planning Region\nShort version\n22 services and an individual development model for each municipality\nResult indicators: expected number of clients per service\nDemo document generated for the consult site.",
            },
        ],
    },
]

SITE_NEWS = []

SITE_FAQ = [
    {
        "question": {"lv": "Kā reģistrēties un sākt komentēt?",
         "en": "How do I register and start commenting?"},
        "answer": {"lv": "Izveidojiet kontu ar savu e-pasta adresi un paroli. Jums tiks nosūtīta e-pasta vēstule ar apstiprinājuma saiti. Pēc saites atvēršanas varēsiet komentēt atvērtās konsultācijas un piedalīties aptaujās. Lasīt visu publicēto var arī bez reģistrēšanās.",
         "en": "Create an account with your e-mail address and a password. We will send you an e-mail with a confirmation link. Once you have opened it, you can comment on open consultations and take part in polls. You can read everything that is published without registering."},
    },
    {
        "question": {"lv": "Kāpēc mans komentārs vēl nav redzams?", "en": "Why can't I see my comment yet?"},
        "answer": {"lv": "Daudzās konsultācijās komentārus publicē tikai pēc tam, kad tos ir pārbaudījis moderators. Citās komentārs parādās uzreiz, bet moderators to pārskata vēlāk. Par moderatora lēmumu jūs saņemsiet paziņojumu, un, kamēr komentārs gaida pārbaudi, varat to labot vai atsaukt.",
         "en": "In many consultations comments are published only after a moderator has checked them. In others a comment appears at once and a moderator reviews it later. You will be told the moderator's decision, and while your comment is waiting you can edit or withdraw it."},
    },
    {
        "question": {"lv": "Kā tiek apstrādāti mani personas dati?", "en": "How is my personal data handled?"},
        "answer": {"lv": "Mēs glabājam tikai tos datus, kas vajadzīgi dalībai konsultācijās, un jūsu e-pasta adresi nepublicējam. Savus datus varat jebkurā brīdī lejupielādēt sava konta lapā. Ja kontu dzēšat, jūsu komentāri paliek konsultācijas materiālos, bet bez jūsu vārda.",
         "en": "We keep only the data needed to take part in consultations, and we never publish your e-mail address. You can download your data at any time from your account page. If you delete your account, your comments stay in the consultation record but without your name."},
    },
]

# Polls: the sidebar poll from the ministry's site, and one beside the guidelines consultation.
POLLS = [
    {
        "consultation": None,
        "on_home": True,
        "voters": "anyone",
        "results_shown": "after_vote",
        "multiple": False,
        "opens_in_days": -30,
        "closes_in_days": 60,
        "question": {
            "lv": "Kur jūs labāk gribētu redzēt informāciju par savu pensijas 1. un 2. līmenī uzkrāto kapitālu?",
            "en": "Where would you prefer to see information about the capital saved in your first and second pension pillars?",
        },
        "options": [
            {"lv": "Portālā latvija.lv", "en": "On the latvija.lv portal"},
            {"lv": "Portālā manapensija.lv", "en": "On the manapensija.lv portal"},
            {"lv": "Internetbankā", "en": "In my internet bank"},
            {"lv": "VSAA nodaļā", "en": "At a State Social Insurance Agency office"},
            {"lv": "Mani tas neinteresē", "en": "I am not interested"},
        ],
    },
    {
        "consultation": "social-services-guidelines-2014-2020",
        "on_home": False,
        "voters": "accounts",
        "results_shown": "always",
        "multiple": False,
        "opens_in_days": -14,
        "closes_in_days": 30,
        "question": {
            "lv": "Kuram rīcības virzienam, jūsuprāt, vajadzētu piešķirt lielāko finansējumu?",
            "en": "Which action direction should, in your view, receive the most funding?",
        },
        "options": [
            {"lv": "Mazāk institūciju un mazāk cilvēku ilgstošā aprūpē", "en": "Fewer institutions and fewer people in long-term care"},
            {"lv": "Pēctecīgi sabiedrībā balstīti pakalpojumi", "en": "Continuous community-based services"},
            {"lv": "Efektīva sociālo pakalpojumu pārvaldība", "en": "Effective management of social services"},
        ],
    },
]
