"""Word lists of the extract stage that other stages read too, without spaCy.

`kg.resolve` decides what a source span names with the same words the rules used to guess its
kind (pronouns, the heads of outlet phrases, domain names); it imports them from here, so that
resolving never loads spaCy.
"""

from __future__ import annotations

import re

# Personal and possessive pronouns: never an entity, and a source only through its antecedent.
PRONOUNS = frozenset("he she they it we i you him her them us me his hers its their".split())
# The pronouns that stand for one person.
PERSON_PRONOUNS = frozenset("he she him her his hers".split())
# Heads of a phrase that names an outlet ("the Kommersant newspaper", "the Interfax agency").
OUTLET_HEADS = frozenset(
    """
    newspaper paper agency website site channel outlet broadcaster tabloid daily weekly magazine
    portal publication service newswire wire journal gazette radio station network
    """.split()
)
# A source written as a domain name ("dialog.ua") is an outlet.
DOMAIN_RE = re.compile(
    r"^(?:www\.)?[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|org|net|info|news|ua|ru|by|kz|md|"
    r"ge|pl|lt|lv|ee|de|fr|uk|co\.uk|it|es|nl|eu|io|tv|fm|media|press|us|ca|au|jp|kr|cn|in)$",
    re.IGNORECASE,
)

# Reporting and belief verbs, by lemma. PolNeAR annotates both speech ("said") and cognition
# ("believes") as attribution; news relies on the first far more than the second.
CUE_VERBS = frozenset(
    """
    say tell report write state claim announce note add explain argue cite believe think suggest
    point
    warn insist confirm deny acknowledge admit reveal estimate predict declare assert allege
    comment describe ask urge accuse learn quote stress emphasize emphasise underline
    mention recall conclude respond reply tweet post publish testify concede contend maintain
    observe remark complain promise vow pledge threaten forecast expect hope fear feel know
    agree disagree dispute reject acknowledge inform brief disclose recount recount caution
    counter criticize criticise praise call tout boast predict speculate doubt wonder
    question demand propose recommend order instruct advise assure reassure notify blame
    charge suspect conclude find show argue contend hint imply insist lament mourn quip joke
    retort shout scream whisper write blog announce email text answer affirm reiterate repeat
    """.split()
)


# Stance verbs: wanting, planning, judging someone or something. They attribute a position to
# their subject when it is someone ("Clinton wants to ...", "she called the charges false"),
# and are no citation when the subject is a thing or the object is physical ("Russia attacked
# Kyiv"): without a clause or a quote such attributions get a confidence below the graph's floor.
STANCE_VERBS = frozenset(
    """
    want plan intend wish seek refuse decline decide support oppose endorse back criticize
    criticise attack condemn denounce blast slam praise defend reject dismiss welcome speak talk
    discuss express characterize characterise label liken compare echo blame credit view
    consider regard press applaud hail mock ridicule lambast lash slam rebuke chide scold
    fault question challenge dispute vow pledge promise threaten offer encourage reference
    promote identify chant sing refer highlight document understand worry advocate invoke
    downplay rail unveil embrace despise brag bemoan yell issue paint judge weigh address detail
    love hate recognize recognise lament tout trumpet champion prefer favor favour float pitch
    outline demand characterize hop remember remind list portray deem decry persuade convince
    voice underscore apologize apologise signal plead assail attribute congratulate
    retweet retweete disavow envision rebut clarify recite vouch articulate interject proclaim
    allude thank indicate seem appear vote push cast share introduce like name lay present
    aim sound distance request rule cheer expose approve look focus see side rip balk come
    """.split()
)


# "In <poll>, ...", "in his view": the nouns that make "in" a cue; with the view nouns the
# source is whose view it is.
VIEW_NOUNS = frozenset("view views opinion words eyes mind estimation judgment judgement".split())


IN_SOURCE_HEADS = VIEW_NOUNS | frozenset(
    "poll polls survey surveys average study analysis tally projection projections".split()
)


# Nouns that attribute a statement or position to their holder ("his claim that ...").
NOUN_CUES = frozenset(
    """
    claim claims statement statements comment comments remark remarks view views plan plans
    proposal proposals promise promises pledge pledges call calls warning warnings assertion
    allegation allegations accusation accusations argument arguments belief hope hopes fear
    fears concern concerns criticism criticisms demand demands insistence suggestion
    admission denial prediction vow threat threats announcement assessment charge charges
    position stance opinion recommendation request testimony acknowledgment acknowledgement
    emphasis recognition determination eagerness desire wish intention insistence advice
    rhetoric message idea attack attacks complaint complaints explanation description
    characterization assurance assurances endorsement support opposition praise
    decision decisions objection objections pushback
    """.split()
)


# People by the side they take ("a longtime supporter of X", "an outspoken critic of Y"):
# being one is a position held.
ROLE_NOUNS = frozenset(
    """
    supporter backer critic proponent advocate defender opponent fan champion foe skeptic
    sceptic detractor booster admirer
    """.split()
)


# Nouns that, held by someone and equated with a clause, state what the holder says or thinks
# ("his answer was that ...", "her impression is that ...").
COPULAR_NOUNS = NOUN_CUES | frozenset(
    """
    answer response reply reaction retort impression contention slogan motto mantra refrain
    theory thinking feeling sense assumption guess bet expectation conclusion takeaway point
    line pitch case thesis premise reasoning rationale excuse justification defense defence
    goal aim hope worry instinct suspicion understanding recollection account version
    """.split()
)


# Noun cues whose holder can follow with "from" ("criticism from environmentalists").
FROM_HOLDER_NOUNS = frozenset(
    """
    criticism criticisms opposition support praise pushback complaint complaints warning
    warnings objection objections endorsement endorsements
    """.split()
)


# Verbs that, with a thing as subject, state evidence or a reading of it ("the flight
# indicates", "the data suggest"): an attribution only when the subject is someone or a
# document.
EVIDENCE_VERBS = frozenset(
    "indicate suggest show mean signal reveal demonstrate prove confirm imply hint find "
    "point underline underscore highlight reflect predict forecast expect estimate".split()
)


# Verbs that only attribute when their object is a clause or a quote ("found that", "showed
# that"); on their own ("found the keys") they are not cues.
CLAUSE_ONLY_VERBS = frozenset(
    "find show know feel hope fear expect signal order answer maintain".split()
)


# Adjectives after "be" that state a position or attitude of a person subject ("was critical
# of", "are optimistic that", "is skeptical about"): a stance, like the stance verbs.
STANCE_ADJECTIVES = frozenset(
    """
    critical skeptical sceptical optimistic pessimistic confident hopeful doubtful certain sure
    convinced worried concerned unhappy happy angry upset furious frustrated disappointed
    pleased glad satisfied dissatisfied supportive opposed wary fearful afraid eager keen
    adamant insistent clear aware unaware proud ashamed enthusiastic excited cautious
    uncomfortable comfortable fond impressed unimpressed divided split receptive hostile
    sympathetic determined willing unwilling reluctant ready open honest outspoken vocal
    dismissive suspicious mindful nervous anxious thankful grateful quick upbeat leery devoted
    inclined unsure uncertain undecided hesitant passionate shocked interested enamored enamoured
    surprised outraged irritated unanimous appreciative cynical mistrustful distrustful uneasy
    lukewarm unapologetic favorable favourable loyal""".split()
)


# What a stance adjective is about: "critical of", "opposed to", "unanimous in", "angry at",
# "impressed by", "hostile toward".
ADJECTIVE_PREPS = frozenset(
    "of about with on over that to in by at toward towards".split()
)


# Light verbs whose object noun makes them a statement or stance ("made the case that", "took a
# swipe at", "has a different view of", "gave no indication that", "made it clear that").
# Verbs of drawing or winning what others hold of one ("won the endorsement of the union").
WINNING_VERBS = frozenset("draw receive win earn gain enjoy consolidate pick garner".split())


LIGHT_VERBS = frozenset("make take have give put raise deliver hold throw".split()) | WINNING_VERBS


# What one draws or receives from those who hold a view of one ("drew criticism from").
DRAWN_STANCES = frozenset(
    "criticism criticisms praise fire ire condemnation rebuke rebukes scorn endorsement "
    "endorsements support backing complaint complaints objection objections".split()
)


# Light verbs that take only some statement nouns: one holds a view ("held a conference call"
# is a meeting), draws a contrast ("drew criticism" names the critics after "from"), delivers
# a speech or a rebuke (not "delivered decisions"), throws one's support behind someone; what
# one receives is someone else's.
LIGHT_VERB_NOUNS = {
    **{verb: frozenset() for verb in WINNING_VERBS - {"draw"}},
    "throw": frozenset("support weight backing".split()),
    "hold": frozenset("opinion opinions view views position positions hope belief beliefs".split()),
    "draw": frozenset("contrast contrasts distinction distinctions analogy comparison".split()),
    "deliver": frozenset(
        "speech speeches defense defence critique rebuke message promise warning tirade attack "
        "address remarks".split()
    ),
}


# Nouns for polls and surveys, which "have" or "put" a candidate somewhere ("the poll has
# Clinton leading", "a new survey puts Trump at 40 percent"): a finding they report.
POLL_HEADS = frozenset("poll polls survey surveys study average tally".split())


LIGHT_NOUNS = NOUN_CUES | frozenset(
    """
    shot shots swipe swipes aim issue credit case point mention apology apologies commitment
    offense offence jab jabs dig digs critique sense idea indication impression expectation
    expectations advice note notice objection objections exception reference pitch appeal
    vow promise plea argument arguments secret question questions doubt doubts alarm
    contrast contrasts distinction analogy comparison speech speeches defense defence rebuke
    tirade answer answers nod word words feeling feelings joke jokes observation
    """.split()
)


# Cue verbs that, with no content, say that someone took part rather than what they said
# ("he agreed", "the court advised", "she testified for hours", "the index added 2%").
BARE_NO_CUE = frozenset(
    """
    add advise agree disagree testify respond state contend publish brief shout joke stress
    comment propose admit charge
    """.split()
)


# Verbs that report speech only next to a quotation ('"...," he continued', 'the sign read:
# "..."'); elsewhere ("continued to rise", "read the book") they are no cue.
QUOTE_ONLY_VERBS = frozenset("continue read".split())


OBJECT_CONTENT_VERBS = frozenset(
    "report write announce confirm deny reveal cite claim estimate predict allege describe "
    "disclose publish post tweet quote mention note stress emphasize emphasise".split()
)


# Verbs whose direct object is the person addressed, not what is said ("told reporters").
ADDRESSEE_VERBS = frozenset(
    """
    tell inform brief notify assure reassure urge advise instruct order ask remind warn persuade
    convince thank congratulate email text answer
    """.split()
)


# Passives whose subject holds the view ("they're convinced that", "were frustrated that",
# "X was quoted as saying"); other passives without a "by" phrase name no source.
HOLDER_PASSIVES = frozenset(
    """
    quote cite convince persuade concern worry frustrate disappoint anger upset alarm surprise
    shock satisfy please encourage intend determine commit resign prepare inclined
    """.split()
)


# Prepositions that introduce the topic or target of a cue ("complained about", "called for",
# "commented on"); "to", "with", "at" and "against" do so only after some verbs ("pointed to",
# "agreed with", "hinted at", "warned against"), elsewhere they name an addressee or a place
# ("spoke to reporters", "spoke at a rally").
TOPIC_PREPS = frozenset("about of on for over into".split())


PREP_VERBS = {
    "to": frozenset(
        "point refer respond reply agree disagree allude object hint testify weigh lash "
        "react admit confess attest".split()
    ),
    "with": frozenset("agree disagree side concur respond reply".split()),
    "at": frozenset("hint point rail bristle lash jab scoff balk".split()),
    "against": frozenset(
        "warn caution rail speak argue testify rule decide vote lash protest advise push "
        "fight campaign".split()
    ),
}


PARTICLE_PREPS = frozenset("against from at to with".split())


# After a cue's object, these say what is held of it ("criticized X for ...", "sees X as ...",
# "questioned X's judgment in ..."); others ("at a rally", "on Monday") set the scene.
OBJECT_PREPS = frozenset("as for in over about of".split())


# "did not respond to requests for comment" is no statement.
NO_COMMENT = frozenset("request message call email inquiry query question comment".split())


UNNAMED_HEADS = frozenset(
    """
    source official expert analyst observer diplomat people person witness resident insider
    spokesman spokeswoman spokesperson representative aide adviser advisor critic supporter
    opponent investigator researcher scientist economist lawmaker legislator politician voter
    worker employee member leader officer authority someone anyone many some others other
    everyone everybody anybody somebody nobody none all both each either neither few most
    several percent % majority minority plurality half third quarter fraction share number
    man woman men women child children kid kids mother father parent wife husband son daughter
    brother sister family friend friends ally allies colleague colleagues neighbor neighbour
    president senator governor mayor minister secretary chairman chairwoman chair director
    chief executive judge justice attorney lawyer candidate nominee actor actress star host
    crowd audience panel jury delegate delegates activist activists protester protesters
    public electorate citizen citizens american americans student students teacher doctor
    veteran veterans soldier troops personnel staff staffer aides candidates democrat
    republican democrats republicans conservative conservatives liberal liberals progressive
    progressives moderate moderates independent independents evangelical evangelicals
    millennial millennials fan fans owner founder partner head boss pundit commentator
    columnist historian scholar professor lobbyist strategist consultant pollster donor
    billionaire mogul executive ambassador envoy general admiral commander prosecutor victim
    survivor respondent respondents participant participants reader readers viewer viewers
    side camp faction one those advocate rival surgeon neurosurgeon businessman businesswoman
    guy user couple pair base generation youth population community hawk tycoon lady wing
    establishment leadership left right
    """.split()
)


# Person nouns by their ending ("organizer", "columnist", "historian", "correspondent"),
# except these things that end alike.
PERSONISH_SUFFIXES = ("ist", "ian", "er", "or", "ant", "ent", "ee")


NOT_PERSONISH = frozenset(
    """
    paper letter order number matter center centre power border computer chapter corner
    quarter manner answer offer layer factor sector error mirror filter meter disaster summer
    winter tower weather water cancer event percent content talent patent extent intent
    moment comment statement agreement government element payment department
    component argument amendment segment fragment investment document instrument
    environment judgment movement measure poster sticker trailer banner flyer register
    primer thriller ledger charter mandate vendor motor monitor indicator elevator
    escalator calculator radiator ventilator corridor tenor vapor favor favour honor honour
    labor labour color colour humor rumor rumour terror horror error behavior behaviour
    anchor tutor mirror floor door
    """.split()
)


DOCUMENT_HEADS = frozenset(
    """
    report statement document study survey poll letter memo filing analysis data figure record
    research paper release communique communiqué resolution indictment complaint lawsuit
    transcript post tweet message footage video article editorial estimate assessment datum
    data image images photo photos satellite imagery map maps ad ads advertisement commercial
    result results projection projections affidavit piece material materials email emails
    missive statistic statistics polling story stories forecast account book speech remark
    remarks suit website site blog column op-ed essay ruling opinion verdict decision order
    audit review investigation inquiry probe findings finding model models chart graph table
    slide clip footage recording tape average averages tally
    """.split()
)


ORGANIZATION_HEADS = frozenset(
    """
    ministry government department office committee council court commission army military
    police company firm party administration kremlin embassy bank union group campaign team
    parliament senate congress cabinet presidency authorities prosecutor prosecutors regulator
    watchdog organisation organization institute foundation association federation alliance
    coalition command headquarters intelligence service services directorate bureau agency fund
    board institution university school college center centre country nation legislature pac
    corporation club medium media body
    """.split()
)


RELATIVE_PRONOUNS = frozenset("who which that whom".split())


# Pronouns that stand for someone who can hold a view ("it" and "this" usually do not).
AGENT_PRONOUNS = frozenset("he she they i we you who which his her their my our your".split())


# Forms of the plain verbs of saying, by their text (nesting is decided on spans, not tokens).
SAYING = frozenset("say says said saying tell tells told telling".split())


# Passives that attribute without saying who ("It is said that ...", "She was known as the
# rainmaker", "The bank is expected to act"): the annotation guidelines' attributions with an
# implicit source.
IMPLICIT_PASSIVES = frozenset(
    """
    say report believe expect know allege rumor rumour think consider claim describe call label
    dub brand announce estimate project predict see view regard deem reveal confirm suspect
    accuse criticize criticise charge fear understand tip reckon presume assume
    """.split()
)


# Adverbs that attribute what they modify to someone unnamed ("The group is reportedly
# spending $1.5 million").
HEARSAY_ADVERBS = frozenset(
    "reportedly allegedly purportedly supposedly seemingly ostensibly".split()
)


# Verbs of seeming: the writer's or no one's impression ("The race seemed to be hers to lose").
SEEMING_VERBS = frozenset({"seem", "appear"})


# Verbs whose that-clause is what they bring about, not what anyone holds ("the law ensured
# that ...").
CAUSING_VERBS = frozenset("ensure insure guarantee cause".split())


HEADLINE_ADVERBS = frozenset("just also now again still".split())


SHOWN_STANCES = frozenset(
    "sign signs inclination interest enthusiasm appetite willingness eagerness reluctance "
    "support respect contempt disdain impatience frustration".split()
)


MODAL_NAMES = frozenset("will may can".split())


# Line labels that look like "Name: text" but name no speaker.
NOT_SPEAKERS = frozenset(
    """
    note photo photos source sources update updated related read watch video image caption
    credit credits tags topics editor editors warning contact email tel phone fax date time
    subject re fw fwd q a question answer summary background disclaimer correction
    """.split()
)


# Words that make a line label a headline kicker ("Breaking:", "The Latest:"), wherever they
# stand in it.
KICKER_WORDS = frozenset("breaking exclusive revealed byline latest leaked contributing".split())
