"""Word lists, sentence templates and hand-written site copy for the demo."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    """Everything the prose writer needs to talk plausibly about one subject."""

    key: str
    tag: str
    category: str
    years: tuple[int, int]
    site: tuple[str, ...]
    thing: tuple[str, ...]
    things: tuple[str, ...]
    maker: tuple[str, ...]
    makers: tuple[str, ...]
    place: tuple[str, ...]
    material: tuple[str, ...]
    process: tuple[str, ...]
    action: tuple[str, ...]
    product: tuple[str, ...]
    quality: tuple[str, ...]
    adj: tuple[str, ...]
    term: tuple[str, ...]
    fact: tuple[str, ...]
    heading: tuple[str, ...]
    title: tuple[tuple[str, str], ...]


def split_bar(text: str, sep: str = "|") -> tuple[str, ...]:
    """Split a separated word list, dropping empty items and stray spaces."""
    return tuple(part.strip() for part in text.split(sep) if part.strip())


def _topic(key: str, tag: str, category: str, years: tuple[int, int], **fields: str):
    """Build a Topic from "|"-separated strings (titles are "title / subtitle")."""
    parsed: dict[str, tuple] = {}
    for name, value in fields.items():
        items = split_bar(value)
        if name == "title":
            parsed[name] = tuple(tuple(i.split(" / ", 1)) for i in items)
        else:
            parsed[name] = items
    return Topic(key=key, tag=tag, category=category, years=years, **parsed)


TOPICS: tuple[Topic, ...] = (
    _topic(
        "printing",
        "letterpress",
        "print-and-type",
        (1470, 1860),
        site="the printing house|the shop|the pressroom",
        thing="composing stick|forme|platen|type case|chase|tympan|frisket|ink ball",
        things="sorts|quoins|galleys|presses|proofs|founts|sheets|ink balls",
        maker="compositor|pressman|master printer|journeyman|printer's devil",
        makers="compositors|pressmen|master printers|journeymen|apprentices",
        place="Antwerp|Venice|Lyon|Basel|Nuremberg|a cathedral town|a river port",
        material="lead|tin|antimony|linseed varnish|lampblack|damp paper|boxwood",
        process="locking up a forme|inking the type|pulling a proof|"
        "distributing type back into the case|correcting a galley|"
        "damping the paper overnight|imposing eight pages on a single sheet",
        action="pull a clean proof|set a page of small type|lock up a forme|"
        "justify a line by ear|print a sheet on both sides|read type upside down",
        product="broadsides|almanacs|handbills|psalters|grammars|ballad sheets",
        quality="speed|accuracy|uniformity|patience|steadiness|legibility",
        adj="heavy|worn|patient|uneven|crowded|cramped|careful|battered",
        term="pie|the devil's tail|the token|the wayzgoose|dead matter|the bank",
        fact="A hand press worked by two men could manage perhaps two hundred and "
        "fifty impressions an hour on a good day.|Spilled type was called pie, and "
        "sorting it back into the case was the apprentice's penance.|Most printing "
        "houses kept a barrel of urine for softening the leather of the ink balls, "
        "a detail the manuals mention without embarrassment.|The same forme might "
        "be corrected several times during a run, so two copies of one edition "
        "rarely agree in every letter.|Paper was usually the largest single cost of "
        "a book, far ahead of labour or type.|A compositor set type into the stick "
        "letter by letter, reading each line backwards as he went.",
        heading="The shape of the shop|Two men and a press|Counting impressions|"
        "What the ledgers say|Ink, oil and smoke|The proof and the page|"
        "Apprentices|A day at the bank|The arithmetic of paper|Errors and stop-press "
        "corrections|Small jobs|After the hand press",
        title="The Hand Press Year / A season in a provincial printing house, "
        "reconstructed from its accounts|Pie on the Floor / On spilled type, "
        "apprentices and the discipline of the case|Two Hundred and Fifty an "
        "Hour / What the speed of a hand press tells us about the books it made|"
        "The Stop-Press Correction / Why no two copies of an early edition agree",
    ),
    _topic(
        "typography",
        "typefaces",
        "print-and-type",
        (1500, 1960),
        site="the type foundry|the drawing office|the punchcutter's bench",
        thing="punch|matrix|hand mould|serif|counter|ligature|specimen sheet",
        things="punches|matrices|ligatures|specimen books|italics|capitals|counters",
        maker="punchcutter|typefounder|letter designer|caster|specimen printer",
        makers="punchcutters|typefounders|casters|letter designers|type dressers",
        place="Paris|Haarlem|Frankfurt|Birmingham|Leipzig|a foundry town|Lyon",
        material="steel|copper|type metal|boxwood|brass|ground charcoal",
        process="cutting a punch|striking a matrix|justifying a matrix|"
        "dressing newly cast type|proofing a specimen|fitting the italic to the roman",
        action="cut a counterpunch|strike a clean matrix|cast a full fount|"
        "judge a letter at reading size|balance the weight of a line",
        product="specimen books|founts of pica|display faces|italic founts|"
        "titling capitals",
        quality="rhythm|colour|contrast|proportion|consistency|legibility",
        adj="narrow|open|sturdy|delicate|condensed|sharp|generous|even",
        term="colour|the x-height|kerning|the fount scheme|fitting|the body",
        fact="A single punch might take a skilled cutter a full day, and a complete "
        "fount needed well over a hundred of them.|Printers judged a new face by how "
        "it looked across a whole page, a quality they called colour.|Founts were "
        "sold by weight, so a printer ordering type thought in pounds rather than "
        "letters.|The italic began as a separate style and only slowly became the "
        "companion of the roman.|Counterpunches were used to shape the enclosed "
        "spaces inside letters before the outer form was cut.",
        heading="Steel before lead|The punch and its counter|Colour on the page|"
        "Selling type by the pound|The specimen as advertisement|Roman and italic|"
        "Fitting|Small sizes|Reading at arm's length|What survives",
        title="Letters Cut in Steel / The punchcutter's craft and the faces it "
        "left behind|The Colour of a Page / How printers learned to see type as "
        "texture|Sold by the Pound / Type, weight and the economics of a fount|"
        "The Polite Companion / How the italic learned to sit beside the roman",
    ),
    _topic(
        "bookbinding",
        "bookbinding",
        "paper-and-binding",
        (1450, 1900),
        site="the bindery|the finishing room|the sewing bench",
        thing="sewing frame|plough|finishing tool|board|headband|spine|clasp",
        things="gatherings|boards|headbands|gilding tools|endpapers|clasps|cords",
        maker="binder|finisher|forwarder|sewer|gilder",
        makers="binders|finishers|forwarders|sewers|gilders",
        place="Oxford|Paris|Augsburg|Edinburgh|a monastery library|a market town",
        material="calfskin|goat leather|linen thread|wheat paste|gold leaf|oak",
        process="sewing the gatherings onto cords|rounding and backing the spine|"
        "covering the boards in leather|tooling the spine in gold|paring leather",
        action="sew a book on raised cords|pare leather to a feather edge|"
        "lay gold leaf without a wrinkle|square the boards|repair a broken joint",
        product="account books|prayer books|library bindings|pocket almanacs",
        quality="strength|flexibility|finish|durability|restraint|economy",
        adj="supple|stiff|worn|rubbed|tight|handsome|plain|sturdy",
        term="forwarding|finishing|the kettle stitch|the joint|the squares",
        fact="A book that opens flat and stays open was, for most binders, the only "
        "test that really mattered.|Wooden boards gave way to pasteboard as books "
        "became smaller and libraries began to shelve them upright.|The kettle "
        "stitch at head and tail locks each gathering to its neighbour.|Gold leaf "
        "was pressed down with heated tools through a thin layer of egg glaire.|"
        "Many surviving bindings have been rebacked, so the spine we see is often a "
        "century younger than the boards.",
        heading="Forwarding|Finishing|Sewing on cords|The board and the joint|"
        "Leather|Gold|Repairs and rebacking|How books stood on shelves|Cheap "
        "bindings|Reading the spine",
        title="The Kettle Stitch / Small knots that hold a book together|Rebacked "
        "/ On the bindings we think are old and the repairs we do not notice|"
        "Opening Flat / A binder's test and the books that fail it|Glaire and Gold / "
        "The finisher's bench, one tool at a time",
    ),
    _topic(
        "paper",
        "paper",
        "paper-and-binding",
        (1300, 1880),
        site="the mill|the vat room|the drying loft",
        thing="mould|deckle|vat|felt|watermark|stamper|press|couching board",
        things="moulds|felts|watermarks|rags|reams|posts|stampers",
        maker="vatman|coucher|rag sorter|mill owner|layman",
        makers="vatmen|couchers|rag sorters|papermakers|mill hands",
        place="Fabriano|the Ardennes|a Kentish valley|Genoa|a mountain river|Troyes",
        material="linen rag|hemp|gelatine size|river water|alum|wire",
        process="sorting and cutting rags|beating the pulp|dipping the mould|"
        "couching the sheet onto felt|sizing the dried sheets|pressing a post",
        action="form a sheet with one dip|couch a sheet without a blemish|"
        "read a watermark against the light|judge the pulp by touch",
        product="writing papers|printing papers|reams of foolscap|wrapping papers",
        quality="whiteness|strength|evenness|absorbency|weight|clarity of water",
        adj="laid|wove|thin|cockled|brittle|creamy|coarse|clean",
        term="the post|chain lines|the deckle edge|twin moulds|the felt side",
        fact="Vatmen worked with a pair of moulds and a single deckle, so one sheet "
        "could drain while the next was formed.|Chain lines and laid lines left by "
        "the wires can still be seen when a sheet is held to the light.|A mill "
        "depended on clean running water more than on anything it could buy.|Rags "
        "were so valuable that towns sometimes forbade their export.|A post was a "
        "stack of wet sheets interleaved with felts, pressed together in one go.",
        heading="Rags|The vat|A pair of moulds|Water|Watermarks|Size|The drying "
        "loft|Reams and quires|Reading paper|When the rags ran out",
        title="Held to the Light / What watermarks can and cannot tell us|The "
        "Rag Trade / Linen, scarcity and the economy of the paper mill|Two Moulds "
        "and a Deckle / The rhythm of the vat room|Clean Water / Why paper mills "
        "followed rivers",
    ),
    _topic(
        "bread",
        "sourdough",
        "hearth",
        (1600, 1950),
        site="the bakehouse|the village oven|the kneading trough",
        thing="peel|proving basket|kneading trough|leaven|crust|oven floor|crumb",
        things="loaves|ovens|leavens|proving baskets|faggots|sacks of flour",
        maker="baker|journeyman baker|miller|oven keeper|household cook",
        makers="bakers|millers|journeymen bakers|oven keepers|households",
        place="a Flemish village|Paris|a Baltic port|Vienna|a hill farm|Naples",
        material="rye flour|wheat flour|salt|spring water|barm|beech wood|bran",
        process="refreshing the leaven|kneading by hand|shaping the loaves|"
        "firing the oven with faggots|testing the oven floor|proving overnight",
        action="judge an oven by the colour of its bricks|keep a leaven alive|"
        "shape a loaf with tension|bake forty loaves in one firing",
        product="rye loaves|trencher breads|biscuits|white rolls|ship's bread",
        quality="sourness|rise|keeping quality|texture|warmth|timing",
        adj="dense|open|sour|crisp|pale|dark|airy|slow",
        term="the levain|oven spring|the bloom|the starter|retarding",
        fact="A leaven kept in a warm kitchen needs feeding at least once a day, "
        "and a neglected one announces itself by smell.|Wood-fired ovens were "
        "heated first and baked afterwards, so the baker worked with falling "
        "heat.|Rye dough behaves more like clay than like wheat dough and is rarely "
        "kneaded in the usual way.|Many villages shared a single oven and fired "
        "it on set days.|Bread was sold by weight in many towns, and the weight of "
        "a loaf rose and fell with the price of grain.",
        heading="The leaven|Flour and water|Heat that falls|Shared ovens|Rye|"
        "The weight of a loaf|Shaping|Crust and crumb|Timing the night|Keeping bread",
        title="Falling Heat / Baking in an oven that is already cooling|"
        "A Leaven in the Family / Starters, inheritance and the habit of feeding|"
        "The Assize of Bread / When the weight of a loaf followed the price of "
        "grain|Rye Is Not Wheat / A grain with its own rules",
    ),
    _topic(
        "astronomy",
        "astronomy",
        "sky-and-time",
        (1570, 1910),
        site="the observatory|the transit room|the roof platform",
        thing="quadrant|transit instrument|reflector|eyepiece|star catalogue|"
        "mural arc|plate",
        things="telescopes|star charts|mirrors|plates|observing books|eclipses",
        maker="observer|computer|instrument maker|assistant|almanac maker",
        makers="observers|computers|instrument makers|assistants|amateurs",
        place="a hilltop observatory|Greenwich|a college roof|Uppsala|Padua|"
        "a country house",
        material="speculum metal|brass|ground glass|silvered glass|lamp oil|ink",
        process="timing a transit|grinding a mirror|reducing observations|"
        "levelling the instrument|comparing star positions|waiting for clear skies",
        action="fix a star's position to a second of arc|grind a mirror by hand|"
        "time a transit by ear|keep an observing book legible in the cold",
        product="star catalogues|ephemerides|observing logs|eclipse reports",
        quality="precision|patience|steadiness|clear air|consistency|care",
        adj="faint|cold|clear|cloudy|bright|steady|distant|long",
        term="seeing|the meridian|personal equation|the ephemeris|declination",
        fact="Observers timed a star's passage across the wires of the eyepiece by "
        "listening to a clock and counting the beats.|Two careful observers "
        "watching the same star would record slightly different times, and the "
        "gap had a name: the personal equation.|Speculum metal mirrors tarnished "
        "quickly and had to be repolished every few months.|Most of an observer's "
        "working life was spent on cloudy nights and on arithmetic.|Catalogues of "
        "star positions were only as good as the clocks that stood beside the "
        "instruments.",
        heading="Cold nights|The meridian|Counting beats|Mirrors that tarnish|"
        "Computers before computers|The personal equation|Cloud|Reducing the "
        "observations|Instruments and their makers|Publishing the catalogue",
        title="The Personal Equation / Why two careful observers never quite "
        "agreed|Waiting for Clear Skies / The observer's year, mostly spent "
        "indoors|Speculum / The short, bright life of the metal mirror|Counting "
        "the Beats / Timing the stars by ear",
    ),
    _topic(
        "bees",
        "beekeeping",
        "field-and-workshop",
        (1600, 1930),
        site="the apiary|the bee garden|the honey house",
        thing="skep|hive|bee bole|smoker|comb|swarm|queen|frame",
        things="skeps|hives|combs|swarms|drones|workers|bee boles",
        maker="beekeeper|skep maker|honey merchant|cottager|chandler",
        makers="beekeepers|skep makers|cottagers|wax chandlers|honey merchants",
        place="a walled garden|a heath|an orchard|a monastery garden|"
        "a Moravian valley|a lime avenue",
        material="straw|beeswax|heather honey|clover honey|willow|clay",
        process="taking a swarm|coiling straw into a skep|pressing comb for "
        "honey|rendering wax|watching the flight at the entrance",
        action="take a swarm without a veil|judge a hive by its weight|"
        "coil a skep in an evening|read the weather in the flight of bees",
        product="candles|jars of honey|cakes of wax|mead|skeps",
        quality="temper|abundance|calm|health|timing|patience",
        adj="golden|humming|quiet|crowded|drowsy|busy|sheltered|late",
        term="the bee bole|telling the bees|the cast|the flow|the brood nest",
        fact="A skep had no removable combs, so taking honey usually meant "
        "sacrificing the colony or cutting the comb out in pieces.|Beeswax was "
        "often worth more than the honey, because churches needed candles.|"
        "Bee boles, recesses built into garden walls, kept straw skeps dry through "
        "the winter.|A swarm that settled on a neighbour's property raised questions "
        "of ownership that local custom answered in different ways.|Some "
        "households kept the custom of telling the bees about births and deaths.",
        heading="Straw|Swarms|The walled garden|Wax before honey|Telling the bees|"
        "Heather and clover|Winter|The movable frame|Who owns a swarm|The flow",
        title="Telling the Bees / Household custom and the hive at the end of the "
        "garden|Wax Before Honey / Candles, churches and the value of the "
        "comb|A Hole in the Wall / The bee bole and the winter of the skep|"
        "Whose Swarm Is It? / Custom, neighbours and a cloud of bees",
    ),
    _topic(
        "clocks",
        "clocks",
        "sky-and-time",
        (1350, 1900),
        site="the clockmaker's shop|the bell tower|the workbench",
        thing="escapement|pendulum|balance spring|mainspring|fusee|dial|"
        "verge|regulator",
        things="clocks|pendulums|wheels|pinions|dials|movements|bells",
        maker="clockmaker|watchmaker|turret clock keeper|engraver|finisher",
        makers="clockmakers|watchmakers|finishers|bell ringers|parish clerks",
        place="Augsburg|Geneva|a market square|Clerkenwell|a Black Forest "
        "village|a parish church",
        material="brass|iron|steel|oil|enamel|gut line",
        process="cutting the wheels|regulating the pendulum|winding the turret "
        "clock|setting the clock by a sundial|fitting the escapement",
        action="regulate a clock to a minute a week|cut a wheel by hand|"
        "set a clock by the noon shadow|strip and clean a movement",
        product="bracket clocks|turret clocks|pocket watches|lantern clocks|regulators",
        quality="accuracy|regularity|reliability|finish|punctuality|trust",
        adj="slow|fast|steady|ticking|brass|precise|weighted|quiet",
        term="the verge|the anchor|beat|going train|striking train|equation of time",
        fact="Before railways, each town kept its own time, set by the sun at "
        "local noon.|A sundial and a clock disagree by up to a quarter of an hour "
        "over the year, a difference called the equation of time.|Turret clocks "
        "were wound daily by a keeper who was often paid by the parish.|The "
        "pendulum improved the accuracy of ordinary clocks from a quarter of an hour "
        "a day to under a minute.|Many early clocks had no minute hand at all.",
        heading="Noon|The verge|The pendulum|Keeping the turret clock|Local time|"
        "The equation of time|Wheels and pinions|Winding|Beat|Railway time",
        title="Local Noon / When every town kept its own time|The Keeper of the "
        "Tower / Winding a parish clock, day after day|One Hand Is Enough / Clocks "
        "before the minute hand|The Equation of Time / Why the sundial and the "
        "clock never quite agree",
    ),
    _topic(
        "cartography",
        "maps",
        "field-and-workshop",
        (1500, 1900),
        site="the drawing office|the engraver's room|the survey camp",
        thing="chain|theodolite|plane table|copper plate|compass rose|scale bar|"
        "baseline",
        things="maps|charts|sheets|triangles|soundings|place names|atlases",
        maker="surveyor|engraver|map seller|draughtsman|colourist",
        makers="surveyors|engravers|map sellers|draughtsmen|colourists",
        place="Amsterdam|a county town|a salt marsh|an upland parish|Nuremberg|"
        "a harbour mouth",
        material="copper|ink|watercolour|vellum|chain links|paper",
        process="measuring a baseline|walking the chain|engraving the plate|"
        "colouring the boundaries|taking soundings|copying an older map",
        action="measure a baseline to an inch|engrave lettering in reverse|"
        "colour a county boundary|plot a triangle at the plane table",
        product="county maps|sea charts|road books|estate plans|wall maps",
        quality="accuracy|authority|clarity|completeness|scale|currency",
        adj="blank|coloured|engraved|outdated|folded|detailed|crowded|empty",
        term="the baseline|dead reckoning|trap streets|the cartouche|hachures",
        fact="Copper plates could be corrected by hammering out the old line from "
        "behind and engraving anew, so one plate might print for a century.|"
        "Many maps were sold uncoloured and coloured by hand to the buyer's "
        "order.|A surveyor's chain was sixty-six feet long, which is why so many "
        "field boundaries come in multiples of it.|Mapmakers often copied older "
        "maps, errors included.|Hachures, short strokes drawn along the slope, "
        "showed hills long before contour lines became common.",
        heading="The baseline|Walking the chain|Copper that lasts|Colour by "
        "hand|Copying|The cartouche|Soundings|Blank spaces|Hills without contours|"
        "Selling maps",
        title="Sixty-Six Feet / The surveyor's chain and the shape of the "
        "fields|A Plate That Lasted a Century / Correcting maps on copper|"
        "Coloured to Order / Maps, paint and the buyer's taste|Errors Included / "
        "How old maps copied one another",
    ),
    _topic(
        "tea",
        "tea",
        "hearth",
        (1650, 1930),
        site="the tea warehouse|the tasting room|the tea garden",
        thing="tea chest|caddy|teapot|kettle|tasting cup|brick of tea|leaf",
        things="tea chests|caddies|leaves|samples|teapots|cups|bricks of tea",
        maker="tea taster|blender|grocer|clipper captain|tea merchant",
        makers="tea tasters|blenders|grocers|tea merchants|growers",
        place="a port warehouse|a hill garden|Canton|a grocer's shop|"
        "a Dutch counting house|a tea house",
        material="black tea|green tea|lead foil|tin|spring water|porcelain",
        process="tasting a sample|blending several teas|packing the chests|"
        "warming the pot|weighing the leaf|judging the infusion",
        action="tell one garden from another by taste|blend a tea to a standard|"
        "pack a chest against damp|brew a cup for tasting",
        product="blends|tea bricks|caddies|packets|samples",
        quality="freshness|strength|consistency|brightness|briskness|flavour",
        adj="bright|smoky|brisk|dull|fragrant|green|stewed|fresh",
        term="the infusion|the liquor|briskness|the tip|the caddy spoon",
        fact="Tea chests were lined with lead or tin foil to keep out damp on a "
        "long voyage.|Caddies were often locked, and the key stayed with the "
        "household's mistress.|Tasters slurp rather than sip, drawing air and tea "
        "across the palate together.|Blending existed to make a tea taste the same "
        "year after year, whatever the harvest.|Tea was sometimes pressed into "
        "bricks that could be carried great distances and even used as money.",
        heading="The tasting room|Chests and foil|A locked caddy|Blending|"
        "Water|Green and black|Bricks of tea|The grocer's counter|"
        "The voyage|Brewing",
        title="The Locked Caddy / Tea, keys and the economics of the household|"
        "The Same Every Year / Blending and the invention of a consistent cup|"
        "Lined with Lead / How tea survived the voyage|The Taster's Slurp / "
        "A profession built on one mouthful",
    ),
    _topic(
        "glass",
        "glass",
        "field-and-workshop",
        (1400, 1900),
        site="the glasshouse|the furnace room|the annealing oven",
        thing="blowpipe|pontil|marver|furnace|crucible|annealing oven|crown",
        things="crucibles|panes|bottles|goblets|gathers|lenses|bubbles",
        maker="glassblower|gaffer|servitor|gatherer|glass cutter",
        makers="glassblowers|gaffers|servitors|glass cutters|furnace men",
        place="Murano|a forest glasshouse|Bohemia|a coal-field town|Venice|the Weald",
        material="sand|potash|soda ash|lime|lead oxide|beechwood|coal",
        process="taking a gather from the pot|blowing a bubble|spinning a "
        "crown|annealing the finished pieces|grinding a lens|cutting a pane",
        action="spin a crown of window glass|gather the right amount on the pipe|"
        "judge the heat by colour|anneal a batch without cracking",
        product="window panes|wine glasses|bottles|spectacle lenses|mirrors",
        quality="clarity|colour|heat|timing|brilliance|strength",
        adj="clear|green|bubbled|molten|brittle|cloudy|ruby|thin",
        term="the gather|the glory hole|the chair|metal|the lehr",
        fact="Glassmakers call the molten material metal, a word that confuses "
        "newcomers.|Crown glass was spun into a flat disc, leaving a thick bull's "
        "eye at the centre where the pontil had been.|Forest glasshouses moved "
        "when they had burned through the nearby woodland.|Glass cooled too quickly "
        "shatters later, sometimes days afterwards, which is why annealing "
        "matters.|The green tint of old window glass comes from iron in the sand.",
        heading="The furnace|Sand and ash|The gather|Crowns and cylinders|"
        "Annealing|The chair|Clear glass|Moving with the forest|Lenses|Window tax",
        title="The Bull's Eye / Crown glass and the windows it made|Metal / "
        "A glasshouse vocabulary|Following the Forest / Why early glasshouses "
        "kept moving|Cooling Slowly / Annealing and the glass that shatters later",
    ),
    _topic(
        "weather",
        "weather",
        "sky-and-time",
        (1650, 1930),
        site="the observing station|the parsonage garden|the harbour office",
        thing="barometer|rain gauge|thermometer|weather diary|wind vane|"
        "Stevenson screen",
        things="barometers|rain gauges|weather diaries|storms|frosts|readings",
        maker="observer|parson|farmer|harbour master|instrument maker",
        makers="observers|parsons|farmers|harbour masters|volunteers",
        place="a coastal parish|a market town|a hill farm|a harbour|"
        "a cathedral close|a lighthouse",
        material="mercury|glass|rainwater|ink|brass|louvred wood",
        process="reading the barometer|emptying the rain gauge|keeping a weather "
        "diary|comparing readings by post|noting the wind at nine",
        action="read a barometer to a hundredth of an inch|keep a diary for forty "
        "years|measure rain to a fraction of an inch|describe cloud in a word",
        product="weather diaries|rainfall tables|storm warnings|almanacs|"
        "monthly returns",
        quality="regularity|exposure|consistency|accuracy|persistence|candour",
        adj="wet|dry|gusty|mild|overcast|bitter|still|changeable",
        term="exposure|the nine o'clock reading|a wet day|the Beaufort scale",
        fact="A rain gauge under a tree or beside a wall will read low, so early "
        "observers argued endlessly about exposure.|Many long weather records "
        "were kept by clergy, who stayed in one parish for decades.|Readings "
        "were taken at fixed hours so that observers in different places could be "
        "compared.|Thermometers hung in the sun gave readings that said more about "
        "the sun than about the air.|A single missed reading can spoil a monthly "
        "mean, which is why diaries record who covered for whom.",
        heading="The nine o'clock reading|Exposure|Parsons and gauges|"
        "Mercury|Comparing by post|Wet days|Frost|A forty-year diary|"
        "Storms|What the numbers hide",
        title="The Nine O'Clock Reading / Regular hours and the making of a "
        "weather record|A Gauge Under a Tree / Exposure, error and the rain that "
        "was never counted|Forty Years of Weather / The parish diary as a "
        "scientific instrument|Wet Day, Dry Day / Words for weather before "
        "numbers",
    ),
)

TOPICS_BY_KEY: dict[str, Topic] = {t.key: t for t in TOPICS}

FIRST_NAMES = split_bar(
    "Aldous Beatrix Cornelis Dorothea Elias Frida Gideon Hanne Isaak Johanna "
    "Kasper Liesel Matthias Nell Osric Petronella Quentin Rosalind Silas Theodora "
    "Ulrich Veronika Wendel Ysolde Ansel Bettina Casimir Edda Florian Greta",
    " ",
)

SURNAMES = split_bar(
    "Aalders Brightwell Crane Dunmore Eckhart Fairlie Gosling Hartog Ivesby "
    "Jessop Kettering Lindqvist Marlowe Norberg Ottoway Pemberton Quarles "
    "Rookwood Stellan Thorne Umfreville Vandermeer Whitlock Ypma Zeller "
    "Ashdown Blackmore Corvin Drummel Elsworth",
    " ",
)

PUBLISHERS = split_bar(
    "Harbour Press|Lantern Books|Millrace Press|Quire & Fold|Saltmarsh Editions|"
    "Northlight Press|Copperplate Books|Anvil & Leaf|Meridian House|"
    "Stonebridge University Press|Wicket Gate Press|Greywell & Sons"
)

CITIES = split_bar(
    "Leiden|London|Paris|Edinburgh|Basel|Amsterdam|Bristol|Lyon|Oxford|"
    "Norwich|Ghent|Boston|Utrecht|York"
)

JOURNALS = split_bar(
    "The Compositor's Quarterly|Journal of the Workshop Historian|"
    "Notes on Crafts and Trades|The Almanac Review|Studies in Material Culture|"
    "Bulletin of the Society for Instruments|The Provincial Historian"
)

AUTHOR_TEXTS = (  # (name, slug, bio Markdown, links)
    (
        "Hester Quayle",
        "hester-quayle",
        "Hester Quayle writes about printing houses, type and the people who kept "
        "them running. She spent a decade cataloguing *jobbing printing* for a "
        "county record office and still prefers ledgers to title pages.",
        (("Website", "https://example.org/hester-quayle"),),
    ),
    (
        "Idris Fenwick-Hale",
        "idris-fenwick-hale",
        "Idris Fenwick-Hale is interested in anything that measures: clocks, "
        "rain gauges, transit instruments. He restores turret clocks in his spare "
        "time and writes the magazine's occasional column on weather diaries.",
        (
            ("Website", "https://example.org/fenwick-hale"),
            ("Clock notes", "https://example.org/fenwick-hale/clocks"),
        ),
    ),
    (
        "Ada Pellworth",
        "ada-pellworth",
        "Ada Pellworth bakes, keeps bees and reads old household books. Her essays "
        "on leaven, tea and the hive have appeared here since the first issue.",
        (("Newsletter", "https://example.org/pellworth"),),
    ),
    (
        "Jonas Merrivale",
        "jonas-merrivale",
        "Jonas Merrivale trained as a surveyor and now writes about maps, paper and "
        "glass. He is working on a book about watermarks, slowly.",
        (
            ("Portfolio", "https://example.org/merrivale"),
            ("Watermark notebook", "https://example.org/merrivale/watermarks"),
        ),
    ),
)

CATEGORY_TEXTS = (  # (name, slug, description)
    (
        "Print & Type",
        "print-and-type",
        "Presses, founts, compositors and the printed page.",
    ),
    (
        "Paper & Binding",
        "paper-and-binding",
        "How sheets were made, folded, sewn and covered.",
    ),
    ("Hearth & Table", "hearth", "Bread, tea and the slow chemistry of the kitchen."),
    (
        "Sky & Time",
        "sky-and-time",
        "Stars, clocks and weather: the sciences of regularity.",
    ),
    (
        "Field & Workshop",
        "field-and-workshop",
        "Hives, glasshouses, survey camps and other places of work.",
    ),
)

# Sentence templates: slots name Topic fields; a digit asks for a different
# pick, a capital first letter capitalises the value.
OPENERS = split_bar(
    "Still|In practice|Even so|For a long time|By contrast|Of course|In the end|"
    "At first|Curiously|More often than not|Seen this way|As it happens"
)

# Body sentences. Slots come from the topic (see vocabulary.Topic); a trailing
# digit asks for a second, different pick; a capital first letter capitalises.
SENTENCES = (
    "{opener}the {thing} was less a tool than a habit, something {makers} "
    "learned with their hands before they could name it.",
    "In {place}, {makers} spent much of {era} {process}, and the surviving "
    "accounts suggest they did it with more {quality} than we usually credit.",
    "A good {maker} could {action} in the time it takes to read this paragraph.",
    "Nobody who has watched {makers} at work will be surprised that {material} "
    "mattered as much as skill.",
    "The {adj} {thing} appears in almost every inventory from {era}, usually "
    "near the bottom of the list and rarely with a price beside it.",
    "What changed was not the {thing} itself but the expectations around it.",
    "Ask {a_maker} about {quality} and you will hear a story about {material}.",
    "Records from {place} mention {number} {makers} working within a few "
    "streets of one another in {year}.",
    "It is tempting to read this as progress, but the {makers} of {place} "
    "would not have put it that way.",
    "The first lesson for any apprentice was {process}; the second, harder one "
    "was {process2}.",
    "There is {a_adj} pleasure in {process}, and most accounts, however dry, let "
    "a little of it slip through.",
    "Much of what we know comes from a single ledger kept by {name}, {a_maker} "
    "in {place} who wrote down everything from the price of {material} to the "
    "weather.",
    "Even the {product} of {place}, often dismissed as ephemera, show a care "
    "with {material} that repays attention.",
    "The {thing} and the {thing2} were rarely discussed together, yet one made "
    "little sense without the other.",
    "By {year}, {process} had become routine enough that few bothered to describe it.",
    "This is where {quality} stops being an abstraction.",
    "I have handled {a_thing} of this kind only once, and it was heavier than I "
    "expected.",
    "Questions about {quality} tend to end, sooner or later, in questions about "
    "{material}.",
    "The numbers are modest: perhaps {number} {product} a year, rarely more.",
    "{opener}{site} was a noisy, crowded place, and {process} had to fit around "
    "everything else that happened there.",
    "The {makers} themselves called it {term}, a phrase that outsiders found "
    "either charming or baffling.",
    "No manual explains how to {action}; it was learned by watching, and by "
    "getting it wrong.",
    "{opener}the older {things} were kept, mended and passed on rather than "
    "thrown away.",
    "There were {adj} years and {adj2} years, and the accounts record both "
    "without comment.",
    "If one thing unites the {makers} of {place} and {place2}, it is a distrust "
    "of anyone who claimed to have improved on {process}.",
    "The change came slowly, one {site_noun} at a time.",
    "In {year}, {name} complained that the {things} sent from {place} were "
    "{adj} and overpriced.",
    "The trade ran on credit, on reputation, and on a steady supply of {material}.",
    "It would be easy to romanticise all this, and I will try not to.",
    "What the sources rarely mention is how tiring {process} could be.",
    "{opener}a careful eye can still see the marks of {process} in the "
    "{product} that survive.",
    "Anyone who wished to {action} needed {material}, time and a great deal "
    "of {quality}.",
    "The {maker} stood at the centre of this arrangement, though rarely at the "
    "top of it.",
    "Between {year} and {year2}, the price of {material} roughly doubled, and "
    "every {maker} felt it.",
    "The word {term} turns up in letters, inventories and at least one lawsuit.",
    "{opener}the {makers} were not much interested in theory; they wanted "
    "{things} that worked.",
    "A visitor to {site} in {era} would have noticed the smell of {material} "
    "before anything else.",
    "Here the evidence thins out, and we are left with guesses.",
    "The {adj} {things} that survive are, almost by definition, the exceptions.",
    "What looks like carelessness is often economy: {makers} did not waste "
    "{quality} where nobody would notice it.",
    "The surviving {product} are uneven, but the best of them have {a_adj} "
    "confidence that is hard to fake.",
    "{opener}what mattered most was {quality}, and {quality2} came a distant second.",
    "Some of the {makers} could barely write, yet they kept careful tallies of "
    "{things} and {material}.",
    "It is worth pausing on {process}, because so much depended on it.",
    "The {thing} has changed less in four centuries than one might expect.",
    "A good deal of ingenuity went into avoiding {process} altogether.",
    "The arrangement lasted, with small changes, until well into {era2}.",
    "Nothing about {process} was glamorous, but nothing else could happen without it.",
    "{Name}, writing from {place} in {year}, describes the work in a single "
    "line: it was hard, and it was never finished.",
    "{opener}I find it easier to imagine the {maker} than the customer.",
    "Most of the {things} in question were {adj}, ordinary and unremarkable, "
    "and that is exactly why they are interesting.",
    "The distinction between {a_maker} and {a_maker2} was sharper on paper "
    "than in practice.",
    "Both sides of the argument appealed to {quality}, and neither could "
    "quite define it.",
    "We should not expect the {makers} of {era} to share our priorities.",
    "{opener}the demand for {product} grew faster than anyone could supply them.",
    "There is a lesson here about {quality}, though it is not the obvious one.",
    "The {thing} sat in a corner of {site}, within reach but out of the way.",
    "Each {maker} had a favourite {thing}, and borrowing one without asking was "
    "a serious offence.",
    "Contemporaries disagreed about almost everything except the importance of "
    "{material}.",
    "It is hard to overstate how local all of this was.",
    "The evidence from {place} points in a different direction.",
    "{opener}the same problem appears again a century later, in {place}, in "
    "almost identical terms.",
    "None of this was written down as a rule; it was simply how things were done.",
    "A single {adj} {thing} could hold up work for days.",
    "It took the {makers} of {place} a generation to trust the new {things}.",
    "In the {product} themselves, the habit is plain to see.",
    "The best {makers} were valued for {quality} rather than for speed.",
    "The {makers} did not merely {action}; they were expected to do it every day.",
    "Three things could spoil a season: bad {material}, a careless {maker}, and "
    "the weather.",
    "Looked at closely, the {thing} tells its own story of wear and repair.",
    "{opener}nobody in {place} thought of {process} as a skill worth recording.",
    "A receipt from {year} records {number} {things} bought in a single week.",
    "There is no single moment when {process} became respectable.",
    "The surviving {things} are {adj}, scratched and often mended.",
    "It helps to remember how small most of these operations were: a {maker}, "
    "one or two helpers, and whatever {material} could be had on credit.",
    "{Name} kept the {thing} for forty years and left it, in a will dated "
    "{year}, to a nephew.",
    "Every {site_noun} had its own way of {process}, and every one believed "
    "its own way was the only sensible one.",
    "{opener}the real difficulty was not {process} but finding {material} "
    "of a reliable quality.",
    "The account books say nothing of {quality}; they record only {things}, "
    "{material} and money.",
    "I suspect the {makers} would have found our interest in them puzzling.",
    "The {adj} {thing} was replaced, eventually, by something cheaper and not "
    "much better.",
    "We know the names of very few {makers}, and almost nothing about their lives.",
    "{opener}{era} brought new {things}, but the old habits came along with them.",
    "The lesson of {place} is that {quality} was a matter of routine rather "
    "than talent.",
    "What a {maker} meant by {term} is not quite what a modern reader would assume.",
    "For the {makers} of {place}, {process} was the day's first task and "
    "often its last.",
    "The customers, for their part, cared about {quality} and very little else.",
    "The {things} of {place} were famous, at least locally, for their {quality}.",
    "A careless moment at the {thing} could undo a morning's work.",
    "{opener}the old methods survived longest where money was shortest.",
    "None of the {makers} involved would have called it a revolution.",
    "The {thing} in the corner of the photograph is easy to miss, and it is the "
    "most interesting thing in the picture.",
    "{opener}the trade kept its secrets less by design than by indifference.",
    "By later standards the work was slow; by the standards of {era}, it was "
    "remarkably quick.",
    "Nobody wrote a treatise on {process}, and perhaps nobody needed to.",
    "Even an experienced {maker} needed a season to learn a new {site_noun}.",
)

QUOTES = (
    "Let the {maker} first look to the {material}, for no skill will mend what "
    "poor {material} has spoiled.",
    "I have known {makers} who could {action}, and others who never learned it "
    "in twenty years.",
    "There is no rule for {process} that the hand does not learn sooner than the head.",
    "Whoever would {action} must first learn to wait.",
    "The {things} were in poor order when I came, and I set the boys to "
    "{process} before anything else.",
    "Of {quality} I say little, for those who have it need no instruction and "
    "those who lack it will not heed any.",
    "It is a trade of small things done exactly, and of large things done seldom.",
    "We have had {adj} weather all the month, and the work goes slowly.",
)

NOTE_REMARKS = (
    "The figures vary from source to source; I have used the most cautious.",
    "{Name} gives a slightly different account, placing the change a decade later.",
    "The word is used loosely in the period and should not be read too precisely.",
    "The manuscript is damaged at this point and the reading is uncertain.",
    "This is a reconstruction; no complete example survives.",
    "Compare the very similar practice among the {makers} of {place}.",
    "Spelling and punctuation have been modernised throughout.",
    "Prices are given as recorded and are not converted.",
    "The phrase recurs in several manuals, usually without attribution.",
    "I owe this reference to a patient archivist in {city}.",
    "The date is inferred from the paper, not stated in the document.",
    "Later writers repeat this claim, but I have not found an earlier source.",
    "It is possible that the {maker} meant {process} here; the context allows "
    "either reading.",
    "The inventory lists {number} {things}, which seems high but is not impossible.",
    "On {term}, the most useful short account is still the one cited here.",
    "The same story is told of {place}, with the names changed.",
)

ARTICLE_TITLES = (
    "notes on {process} in {proper_place}",
    "{makers} in {proper_place}, {year}-{year2}",
    "the {thing} reconsidered",
    "a ledger from {proper_place}",
    "{quality} and the {maker}",
    "what the {makers} knew about {material}",
    "{process}: a reassessment",
)

ERAS = split_bar(
    "the early {c} century|the middle of the {c} century|the late {c} century|the {d}s"
)
ORDINALS = {
    13: "fourteenth",
    14: "fifteenth",
    15: "sixteenth",
    16: "seventeenth",
    17: "eighteenth",
    18: "nineteenth",
    19: "twentieth",
}
NUMBERS = split_bar(
    "a few hundred|several dozen|two or three thousand|forty or fifty|"
    "a dozen|a hundred or so|some sixty|barely twenty|nearly three hundred"
)

FLAGSHIP_INTRO = (
    (
        "Every few decades someone announces the death of movable type.",
        "The hand press gave way to the iron press, the iron press to the "
        "cylinder, the cylinder to machines that cast their own lines, and each "
        "change was greeted as the end of the compositor's case.",
        "And yet the case survived: in jobbing shops, in schools, in back rooms "
        "where someone still needed a wedding card or a raffle ticket by Friday.",
    ),
    (
        "This essay is an attempt to explain that persistence.",
        "It is not a history of inventions, of which there are plenty, but of "
        "habits: the ways of standing, reading, counting and correcting that "
        "passed from one compositor to the next for five hundred years.",
        "The evidence is scattered and often dull, which is part of the point.",
        "Habits leave few monuments; they leave ledgers, worn type and the "
        "occasional complaint.",
    ),
)

PAGE_TEXTS = (  # (title, slug, Markdown body)
    (
        "About",
        "about",
        """\
*The Composing Room* publishes long essays about old crafts and patient
sciences: printing and type, paper and binding, bread and tea, bees, clocks,
maps, glass, stars and weather.

## What we publish

We like pieces that take their time, show their sources and are honest about
what the sources cannot tell us. Most essays carry notes; some carry a great
many. Read them or skip them, as you prefer.

## Who we are

The magazine is edited by a small group of writers who meet, mostly by post,
to argue about commas. New contributors are welcome: see the contact page.
""",
    ),
    (
        "Legal disclaimer",
        "disclaimer",
        """\
This site is a demonstration of the Broadsheet publishing platform.

## Fictional content

All authors, essays, quotations, books, journals and archives mentioned on this
site are invented. Any resemblance to real people or publications is
coincidental. Historical details are written for flavour and should not be
cited as fact.

## Links

Links point to `example.org` and lead nowhere in particular. We are not
responsible for the content of external sites.

## Liability

The content is provided as is, without warranty of any kind. Please do not
restore a turret clock, fire a bread oven or take a swarm on the strength of
anything you read here.
""",
    ),
    (
        "Contact",
        "contact",
        """\
We read everything that arrives, though replies can be slow.

- **Submissions:** a short pitch and a sample of your writing to
  `editors@example.org`.
- **Corrections:** tell us the article, the sentence and the source; we will
  note any change at the end of the essay.
- **Everything else:** `hello@example.org`.

We do not accept unsolicited advertising.
""",
    ),
)
