using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Haven.Core.People;

/// <summary>
/// Name comparison for finding people, without the database: normalisation, given-name variants, a sound-alike key,
/// PostgreSQL-compatible trigram similarity and a combined score.
/// </summary>
public static partial class NameMatching
{
    /// <summary>Share of the score that comes from the given name when both parts are searched for.</summary>
    public const double GivenNameWeight = 0.45;

    /// <summary>Share of the score that comes from the family name when both parts are searched for.</summary>
    public const double FamilyNameWeight = 0.55;

    /// <summary>Part score when the normalised names are the same (hyphens and spaces count as the same).</summary>
    public const double ExactScore = 1.0;

    /// <summary>Part score when the names differ only in spacing, like "Mary Jane" and "Maryjane".</summary>
    public const double SpacingScore = 0.95;

    /// <summary>Part score when the given names are known variants of each other, like Bill and William.</summary>
    public const double VariantScore = 0.9;

    /// <summary>Part score when the names have the same <see cref="SoundKey"/>, like Smith and Smyth.</summary>
    public const double SoundAlikeScore = 0.8;

    /// <summary>Part score when one name is a single letter that is the other's initial.</summary>
    public const double InitialScore = 0.6;

    /// <summary>Trigram similarity is multiplied by this, so spelling likeness alone ranks below a sound-alike match.</summary>
    public const double TrigramFactor = 0.75;

    /// <summary>
    /// When a name has more than one word, the best match between single words counts, multiplied by this
    /// (so "Mary" finds "Mary Jane", and "Smith" finds "Smith-Jones", a little below an exact match).
    /// </summary>
    public const double WordFactor = 0.9;

    /// <summary>A match with given and family names swapped over is multiplied by this.</summary>
    public const double SwappedFactor = 0.9;

    /// <summary>
    /// Lower case, accents removed (é → e, ø → o, ß → ss), apostrophes and full stops removed, other punctuation and
    /// symbols treated as spaces, hyphens kept (without spaces around them), white space collapsed to single spaces.
    /// Letters from other scripts are kept, in lower case.
    /// </summary>
    public static string Normalise(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(name.Length);
        foreach (var c in WithoutBrokenSurrogates(name).Normalize(NormalizationForm.FormD))
        {
            var category = char.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                continue;
            }

            var lower = char.ToLowerInvariant(c);
            var replacement = lower switch
            {
                'ß' => "ss",
                'æ' => "ae",
                'œ' => "oe",
                'ø' => "o",
                'ł' => "l",
                'đ' or 'ð' => "d",
                'þ' => "th",
                'ı' => "i",
                'ħ' => "h",
                _ => null,
            };

            if (replacement is not null)
            {
                builder.Append(replacement);
            }
            else if (char.IsLetterOrDigit(lower))
            {
                builder.Append(lower);
            }
            else if (NhsNumber.IsHyphen(lower))
            {
                builder.Append('-');
            }
            else if (lower is '\'' or '\u2019' or '\u2018' or '`' or '\u00B4' or '\u02BC' or '.')
            {
                // O'Brien → obrien, St. John → st john (the space after the stop remains).
            }
            else
            {
                builder.Append(' ');
            }
        }

        var joined = HyphenWithSpaces().Replace(builder.ToString(), "-");
        joined = Spaces().Replace(joined, " ");
        return joined.Trim(' ', '-');
    }

    /// <summary>
    /// The normalised given names that are equivalent to <paramref name="givenName"/>, including itself: short forms,
    /// pet names and spellings used across communities in England. Empty for a blank name.
    /// </summary>
    public static IReadOnlySet<string> Variants(string? givenName)
    {
        var normal = Normalise(givenName);
        if (normal.Length == 0)
        {
            return FrozenSet<string>.Empty;
        }

        return VariantsByName.TryGetValue(normal, out var variants) ? variants : new[] { normal }.ToFrozenSet();
    }

    /// <summary>True when the two given names are the same or listed as variants of each other.</summary>
    public static bool AreVariants(string? givenName, string? otherGivenName)
    {
        var a = Normalise(givenName);
        var b = Normalise(otherGivenName);
        if (a.Length == 0 || b.Length == 0)
        {
            return false;
        }

        return a == b || (VariantsByName.TryGetValue(a, out var variants) && variants.Contains(b));
    }

    /// <summary>
    /// A sound-alike key for English names, one code per word separated by spaces (empty when the name has no Latin
    /// letters). It follows Lawrence Philips' original Metaphone rules, simplified for names: a vowel counts only at the
    /// start of a word (coded A); repeated letters count once; PH and V sound as F; TH is coded T (names say Thomas and
    /// Thompson with a T, and Catherine and Kathryn should meet); CH is X (as in church) except in CHR and CHL, which are K;
    /// C before E, I or Y is S; G before E, I or Y is J; GH is K before a vowel and otherwise silent; H counts only before
    /// a vowel, and W and Y only before a vowel and not after one (so Aisha and Ayesha meet); silent first letters of GN,
    /// KN, PN and WR are dropped; X is KS (S at the start); Z is S; neighbouring letters with the same code count once.
    /// So Smith and Smyth give SMT, Stephen and Steven STFN, Mohammed, Muhammad and Mohamed MHMT.
    /// </summary>
    public static string SoundKey(string? name)
    {
        var words = Normalise(name).Split([' ', '-'], StringSplitOptions.RemoveEmptyEntries);
        var keys = new List<string>(words.Length);
        foreach (var word in words)
        {
            var key = WordSoundKey(word);
            if (key.Length > 0)
            {
                keys.Add(key);
            }
        }

        return string.Join(' ', keys);
    }

    /// <summary>
    /// Trigram similarity exactly as PostgreSQL's pg_trgm <c>similarity()</c> defines it: the text is lower-cased and
    /// split into words of letters and digits; each word is padded with two spaces in front and one behind; the result is
    /// the number of distinct trigrams the two texts share divided by the number of distinct trigrams in either.
    /// 0 when either text has no words. (PostgreSQL returns a 4-byte float, so compare with a small tolerance.)
    /// </summary>
    public static double Similarity(string? a, string? b)
    {
        var first = Trigrams(a);
        var second = Trigrams(b);
        if (first.Count == 0 || second.Count == 0)
        {
            return 0;
        }

        var shared = first.Count(second.Contains);
        return shared / (double)(first.Count + second.Count - shared);
    }

    /// <summary>
    /// How well a candidate's name matches a search, from 0 (nothing alike) to 1 (the same after normalising).
    /// </summary>
    /// <remarks>
    /// Each part scores the best of: <see cref="ExactScore"/> 1.0; <see cref="SpacingScore"/> 0.95 when only spacing
    /// differs; <see cref="VariantScore"/> 0.9 for given-name variants (Bill and William); <see cref="SoundAlikeScore"/> 0.8
    /// for the same <see cref="SoundKey"/>; <see cref="InitialScore"/> 0.6 when one is just the other's initial;
    /// <see cref="TrigramFactor"/> 0.75 × trigram similarity; and for names of more than one word, the best word-to-word
    /// score × <see cref="WordFactor"/> 0.9. With both parts searched, the score is
    /// <see cref="GivenNameWeight"/> 0.45 × given + <see cref="FamilyNameWeight"/> 0.55 × family, and the same sum with the
    /// candidate's names swapped over × <see cref="SwappedFactor"/> 0.9 counts if it is higher (family names weigh more
    /// because they are less often shortened or anglicised). With only one part searched, the score is that part's score
    /// against the same part of the candidate. Blank searches score 0.
    /// </remarks>
    public static double Score(string? queryGiven, string? queryFamily, string? candidateGiven, string? candidateFamily)
    {
        var hasGiven = Normalise(queryGiven).Length > 0;
        var hasFamily = Normalise(queryFamily).Length > 0;
        if (!hasGiven && !hasFamily)
        {
            return 0;
        }

        if (!hasFamily)
        {
            return PartScore(queryGiven, candidateGiven, givenNames: true);
        }

        if (!hasGiven)
        {
            return PartScore(queryFamily, candidateFamily, givenNames: false);
        }

        var straight = (GivenNameWeight * PartScore(queryGiven, candidateGiven, givenNames: true))
            + (FamilyNameWeight * PartScore(queryFamily, candidateFamily, givenNames: false));
        var swapped = SwappedFactor * ((GivenNameWeight * PartScore(queryGiven, candidateFamily, givenNames: false))
            + (FamilyNameWeight * PartScore(queryFamily, candidateGiven, givenNames: false)));
        return Math.Clamp(Math.Max(straight, swapped), 0, 1);
    }

    /// <summary>The score for one part of a name (given or family), as described on <see cref="Score"/>.</summary>
    public static double PartScore(string? query, string? candidate, bool givenNames)
    {
        var q = Normalise(query).Replace('-', ' ');
        var c = Normalise(candidate).Replace('-', ' ');
        if (q.Length == 0 || c.Length == 0)
        {
            return 0;
        }

        if (q == c)
        {
            return ExactScore;
        }

        if (q.Replace(" ", string.Empty, StringComparison.Ordinal) == c.Replace(" ", string.Empty, StringComparison.Ordinal))
        {
            return SpacingScore;
        }

        var best = WordScore(q, c, givenNames);
        var queryWords = q.Split(' ');
        var candidateWords = c.Split(' ');
        if (queryWords.Length > 1 || candidateWords.Length > 1)
        {
            foreach (var queryWord in queryWords)
            {
                foreach (var candidateWord in candidateWords)
                {
                    best = Math.Max(best, WordFactor * WordScore(queryWord, candidateWord, givenNames));
                }
            }
        }

        return best;
    }

    private static double WordScore(string a, string b, bool givenNames)
    {
        if (a == b)
        {
            return ExactScore;
        }

        var score = TrigramFactor * Similarity(a, b);
        if (givenNames && VariantsByName.TryGetValue(a, out var variants) && variants.Contains(b))
        {
            score = Math.Max(score, VariantScore);
        }

        var key = SoundKey(a);
        if (key.Length > 0 && key == SoundKey(b))
        {
            score = Math.Max(score, SoundAlikeScore);
        }

        if ((a.Length == 1 || b.Length == 1) && a[0] == b[0])
        {
            score = Math.Max(score, InitialScore);
        }

        return score;
    }

    // string.Normalize throws on a lone surrogate; such a character cannot be part of a name, so it is dropped.
    private static string WithoutBrokenSurrogates(string text)
    {
        if (!text.Any(char.IsSurrogate))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(text, i, 2);
                i++;
            }
            else if (!char.IsSurrogate(text[i]))
            {
                builder.Append(text[i]);
            }
        }

        return builder.ToString();
    }

    private static HashSet<string> Trigrams(string? text)
    {
        var trigrams = new HashSet<string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(text))
        {
            return trigrams;
        }

        // Work in Unicode code points, as PostgreSQL does, so letters outside the Basic Multilingual Plane count once.
        var word = new List<string> { " ", " " };
        foreach (var rune in (text + " ").EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                word.Add(Rune.ToLowerInvariant(rune).ToString());
                continue;
            }

            if (word.Count > 2)
            {
                word.Add(" ");
                for (var i = 0; i + 2 < word.Count; i++)
                {
                    trigrams.Add(string.Concat(word[i], word[i + 1], word[i + 2]));
                }
            }

            word.RemoveRange(2, word.Count - 2);
        }

        return trigrams;
    }

    private static string WordSoundKey(string word)
    {
        var letters = new StringBuilder(word.Length);
        foreach (var c in word)
        {
            if (char.IsAsciiLetterLower(c))
            {
                letters.Append(char.ToUpperInvariant(c));
            }
        }

        var w = letters.ToString();
        if (w.Length == 0)
        {
            return string.Empty;
        }

        if (w.Length > 1 && w[..2] is "GN" or "KN" or "PN" or "WR")
        {
            w = w[1..];
        }
        else if (w[0] == 'X')
        {
            w = "S" + w[1..];
        }

        var key = new StringBuilder(w.Length);
        var lastAt = -2;
        for (var i = 0; i < w.Length; i++)
        {
            var c = w[i];
            var previous = i > 0 ? w[i - 1] : '\0';
            var next = i + 1 < w.Length ? w[i + 1] : '\0';
            var afterNext = i + 2 < w.Length ? w[i + 2] : '\0';
            if (c == previous && c != 'C')
            {
                continue;
            }

            switch (c)
            {
                case 'A' or 'E' or 'I' or 'O' or 'U':
                    if (i == 0)
                    {
                        Add(key, 'A', i, ref lastAt);
                    }

                    break;
                case 'C':
                    if (next == 'I' && afterNext == 'A')
                    {
                        Add(key, 'X', i, ref lastAt);
                    }
                    else if (next == 'H')
                    {
                        Add(key, previous == 'S' || afterNext is 'R' or 'L' ? 'K' : 'X', i, ref lastAt);
                    }
                    else if (next is 'E' or 'I' or 'Y')
                    {
                        if (previous != 'S')
                        {
                            Add(key, 'S', i, ref lastAt);
                        }
                    }
                    else
                    {
                        Add(key, 'K', i, ref lastAt);
                    }

                    break;
                case 'D':
                    Add(key, next == 'G' && afterNext is 'E' or 'I' or 'Y' ? 'J' : 'T', i, ref lastAt);
                    break;
                case 'G':
                    if (next == 'H')
                    {
                        if (i == 0 || IsVowel(afterNext))
                        {
                            Add(key, 'K', i, ref lastAt);
                        }
                    }
                    else if (next == 'N' && (i + 2 == w.Length || (i + 4 == w.Length && w[(i + 2)..] == "ED")))
                    {
                        // Silent, as in Reign or Signed.
                    }
                    else if (previous == 'D' && next is 'E' or 'I' or 'Y')
                    {
                        // Already coded J by the D.
                    }
                    else
                    {
                        Add(key, next is 'E' or 'I' or 'Y' ? 'J' : 'K', i, ref lastAt);
                    }

                    break;
                case 'H':
                    if (previous is not ('C' or 'S' or 'P' or 'T' or 'G') && IsVowel(next))
                    {
                        Add(key, 'H', i, ref lastAt);
                    }

                    break;
                case 'K':
                    if (previous != 'C')
                    {
                        Add(key, 'K', i, ref lastAt);
                    }

                    break;
                case 'P':
                    Add(key, next == 'H' ? 'F' : 'P', i, ref lastAt);
                    break;
                case 'Q':
                    Add(key, 'K', i, ref lastAt);
                    break;
                case 'S':
                    Add(key, next == 'H' || (next == 'I' && afterNext is 'O' or 'A') ? 'X' : 'S', i, ref lastAt);
                    break;
                case 'T':
                    if (next == 'I' && afterNext is 'O' or 'A')
                    {
                        Add(key, 'X', i, ref lastAt);
                    }
                    else if (!(next == 'C' && afterNext == 'H'))
                    {
                        Add(key, 'T', i, ref lastAt);
                    }

                    break;
                case 'V':
                    Add(key, 'F', i, ref lastAt);
                    break;
                case 'W' or 'Y':
                    if (IsVowel(next) && !IsVowel(previous))
                    {
                        Add(key, c, i, ref lastAt);
                    }

                    break;
                case 'X':
                    Add(key, 'K', i, ref lastAt);
                    Add(key, 'S', i, ref lastAt);
                    break;
                case 'Z':
                    Add(key, 'S', i, ref lastAt);
                    break;
                default:
                    Add(key, c, i, ref lastAt);
                    break;
            }
        }

        return key.ToString();
    }

    private static bool IsVowel(char c) => c is 'A' or 'E' or 'I' or 'O' or 'U';

    // Neighbouring letters that give the same code count once (the DT of Smidt is coded like the TH of Smith), but the
    // same code either side of a vowel is kept (Tate is TT).
    private static void Add(StringBuilder key, char code, int position, ref int lastAt)
    {
        if (key.Length > 0 && key[^1] == code && lastAt >= position - 1)
        {
            lastAt = position;
            return;
        }

        key.Append(code);
        lastAt = position;
    }

    private static FrozenDictionary<string, FrozenSet<string>> BuildVariants()
    {
        var byName = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var group in GivenNameGroups)
        {
            foreach (var name in group)
            {
                if (!byName.TryGetValue(name, out var set))
                {
                    set = new HashSet<string>(StringComparer.Ordinal);
                    byName[name] = set;
                }

                set.UnionWith(group);
            }
        }

        return byName.ToFrozenDictionary(p => p.Key, p => p.Value.ToFrozenSet(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    /// <summary>
    /// Groups of given names treated as the same name, already normalised. A name may be in more than one group
    /// (Alex is short for Alexander and Alexandra); its variants are every name it shares a group with, so Alexander and
    /// Alexandra are not variants of each other.
    /// </summary>
    private static readonly string[][] GivenNameGroups =
    [
        // Common English names and their short forms.
        ["william", "will", "bill", "billy", "willie", "willy", "liam", "wil", "wilhelm", "wiliam"],
        ["elizabeth", "elisabeth", "eliza", "liz", "lizzie", "lizzy", "liza", "beth", "betty", "bette", "betsy", "bess", "bessie", "libby", "elspeth", "elzbieta", "ela"],
        ["margaret", "margret", "maggie", "mags", "peggy", "peg", "meg", "marge", "margie", "madge", "malgorzata", "gosia"],
        ["robert", "rob", "robbie", "robby", "bob", "bobby", "bert", "rab", "roberto"],
        ["katherine", "catherine", "katharine", "catharine", "kathryn", "cathryn", "kate", "katie", "katy", "kat", "cathy", "kathy", "kath", "cath", "kitty", "katarzyna", "kasia", "kateryna", "ekaterina", "yekaterina", "katya", "kathleen"],
        ["alexander", "alex", "alec", "alek", "sandy", "xander", "sasha", "alistair", "alastair", "alasdair", "aleksander", "aleksandr", "alexandr", "oleksandr", "oleksander", "olek", "alessandro"],
        ["alexandra", "alex", "alexa", "lexi", "lexie", "sasha", "aleksandra", "oleksandra", "alessandra"],
        ["john", "jon", "johnny", "johnnie", "jack", "jackie", "jonny"],
        ["sean", "shaun", "shawn", "shaune"],
        ["ian", "iain"],
        ["jonathan", "jon", "jonny", "jonnie", "john", "johnny", "jonathon", "johnathan"],
        ["mohammed", "muhammad", "mohamed", "mohammad", "muhammed", "mohamad", "mohammod", "mohamud", "mahomed", "mehmet", "mohd", "muhamad", "mo"],
        ["michael", "mike", "mikey", "mick", "mickey", "micky", "mikhail", "michal", "mykhailo", "mihai", "micheal", "michele", "mikolaj"],
        ["james", "jim", "jimmy", "jimmie", "jamie", "jamey", "hamish", "seamus", "shamus", "jakub"],
        ["richard", "rich", "richie", "rick", "ricky", "rickie", "dick", "dickie", "ryszard"],
        ["thomas", "tom", "tommy", "tommie", "tomas", "tomasz", "toma", "tam"],
        ["christopher", "chris", "kit", "topher", "kristopher", "christoph", "krzysztof", "kris"],
        ["christine", "christina", "kristina", "kristine", "chris", "chrissie", "chrissy", "tina", "kirsty", "kirstie", "kirsten", "krystyna", "kris"],
        ["daniel", "dan", "danny", "dani", "danyal", "daniyal", "danial"],
        ["david", "dave", "davey", "davie", "dafydd", "dai", "dawid", "dawood", "dawud", "daoud", "davud"],
        ["edward", "ed", "eddie", "eddy", "ted", "teddy", "ned", "edvard", "edouard"],
        ["anthony", "antony", "tony", "antoni", "antonio", "anton", "antanas"],
        ["stephen", "steven", "steve", "stevie", "stefan", "steffan", "stephan", "stevan", "stefano", "steph"],
        ["stephanie", "steph", "stef", "steff", "stefania", "stefanie"],
        ["joseph", "joe", "joey", "jo", "josef", "jozef", "giuseppe", "jose"],
        ["yusuf", "yousuf", "yousef", "youssef", "yusef", "yosef", "yusif", "yousif"],
        ["benjamin", "ben", "benji", "benjy", "benny", "bennie"],
        ["samuel", "sam", "sammy", "sammie", "samual", "shmuel"],
        ["samantha", "sam", "sammy", "sammie", "sami"],
        ["matthew", "matt", "matty", "mathew", "mattie", "mateusz", "matteo", "matthias", "mattias"],
        ["andrew", "andy", "drew", "andrzej", "andrei", "andrey", "andriy", "andrii", "andreas", "andre"],
        ["nicholas", "nick", "nicky", "nicko", "nico", "nicolas", "nikolai", "nikolay", "mykola", "nikola", "nicolae"],
        ["nicola", "nicole", "nikki", "nicky", "niki", "nichola", "nicolette"],
        ["peter", "pete", "piotr", "petr", "petro", "pietro", "pedro", "peadar"],
        ["patrick", "pat", "paddy", "patryk", "padraig", "patrice"],
        ["patricia", "pat", "patty", "pattie", "patsy", "trish", "tricia", "trisha", "patrycja"],
        ["charles", "charlie", "chas", "chaz", "chuck", "karol", "carlo", "carlos"],
        ["charlotte", "charlie", "lottie", "lotty", "char", "carlotta"],
        ["henry", "harry", "hal", "hank", "henryk", "henri", "hendrik", "enrique", "enrico"],
        ["harold", "harry", "hal"],
        ["frederick", "fred", "freddie", "freddy", "frederic", "fredrick", "fryderyk", "fritz"],
        ["alfred", "alf", "alfie", "fred", "freddie"],
        ["george", "georgie", "geordie", "jerzy", "jorge", "giorgio", "georgios"],
        ["georgia", "georgina", "georgie", "gina"],
        ["joshua", "josh", "joshy"],
        ["nathan", "nathaniel", "nathanael", "nat", "nate"],
        ["timothy", "tim", "timmy", "tymoteusz"],
        ["gregory", "greg", "gregor", "grzegorz", "grigori"],
        ["jeffrey", "geoffrey", "jeffery", "jeff", "geoff"],
        ["lawrence", "laurence", "larry", "laurie", "lawrie", "lorenzo", "laurent", "wawrzyniec"],
        ["leonard", "len", "lenny", "lennie", "leo"],
        ["raymond", "ray", "raymund"],
        ["ronald", "ron", "ronnie", "ronny"],
        ["donald", "don", "donnie", "donny"],
        ["kenneth", "ken", "kenny", "kennie"],
        ["terence", "terrence", "terry", "tel"],
        ["teresa", "theresa", "terri", "terry", "tess", "tessa"],
        ["gerald", "gerard", "gerry", "jerry", "ged"],
        ["philip", "phillip", "phil", "pip", "filip", "philippe", "felipe", "pilip"],
        ["vincent", "vince", "vinny", "vinnie", "vincenzo", "wincenty"],
        ["zachary", "zach", "zack", "zak", "zac", "zachariah", "zakaria", "zakariya", "zakariyya", "zachery"],
        ["albert", "al", "bert", "bertie", "albie"],
        ["arthur", "art", "artie", "artur", "arturo"],
        ["archibald", "archie", "archy"],
        ["reginald", "reg", "reggie"],
        ["bernard", "bernie", "barney", "bernardo"],
        ["walter", "walt", "wally", "wladyslaw"],
        ["theodore", "theo", "ted", "teddy", "fedor", "fyodor", "teodor"],
        ["edmund", "edmond", "ed", "eddie", "ted", "ned"],
        ["ewan", "euan", "ewen", "owen", "owain", "eoin"],
        ["dominic", "dominik", "dom", "domenico", "dominick"],
        ["sebastian", "seb", "sebastien", "bastian", "sebastiano"],
        ["maximilian", "max", "maxi", "maks", "maksymilian", "maximillian", "maxim", "maksim", "maksym"],
        ["luke", "lucas", "lukas", "luca", "luka", "lukasz", "luc"],
        ["louis", "lewis", "louie", "lou", "luis", "ludwik", "luigi"],
        ["oliver", "ollie", "olly", "oli", "olivier", "oliwer"],
        ["jacob", "jake", "jakub", "yakub", "yaqub", "yacoub", "jakob", "jacques"],
        ["francis", "frank", "frankie", "franciszek", "francesco", "francois", "franco"],
        ["gabriel", "gabe", "gabriele"],
        ["connor", "conor", "conner", "konnor"],
        ["aidan", "aiden", "aden", "ayden", "aedan", "aydan"],
        ["kieran", "kieron", "ciaran", "keiran", "kyran"],
        ["eugene", "gene", "yevhen", "yevgeny", "evgeny", "evgeni", "zhenya"],
        ["dmitri", "dmitry", "dmytro", "dima", "dimitri", "dimitrios"],
        ["sergei", "sergey", "serhiy", "serhii", "sergiu", "sergio"],
        ["vladimir", "volodymyr", "volodya", "vova", "wlodzimierz"],
        ["oluwaseun", "seun"],
        ["oluwatobi", "tobi"],
        ["oluwafemi", "femi"],
        ["oluwatosin", "tosin"],
        ["chukwuemeka", "emeka"],
        ["sandeep", "sundeep", "sandip"],
        ["pradeep", "pardeep", "pradip"],
        ["dilip", "dileep"],

        // Common women's names and their short forms.
        ["jennifer", "jen", "jenny", "jenni", "jennie", "jenna"],
        ["rebecca", "rebekah", "becky", "becca", "bekki", "bex"],
        ["victoria", "vicky", "vicki", "vikki", "vickie", "tori", "toria", "wiktoria"],
        ["abigail", "abi", "abbie", "abby", "abbey", "gail"],
        ["deborah", "debra", "debbie", "debby", "deb", "debs"],
        ["jacqueline", "jackie", "jacqui", "jacky", "jaqueline"],
        ["amanda", "mandy", "manda"],
        ["jessica", "jess", "jessie", "jessy"],
        ["rachel", "rachael", "rachelle", "rach", "rae"],
        ["sarah", "sara", "sally", "sadie", "sal"],
        ["susan", "sue", "susie", "suzie", "suzy", "suzanne", "susanne", "susannah", "susanna", "suzanna", "zuzanna"],
        ["hannah", "hanna", "hana"],
        ["anne", "ann", "anna", "annie", "nan", "nancy", "ania", "anya", "anka", "hanka"],
        ["helen", "helena", "elena", "olena", "ellen", "nell", "nellie", "halina"],
        ["eleanor", "elinor", "eleanore", "ellie", "elle", "nora", "norah", "nell", "nellie"],
        ["emily", "emilie", "emilia", "em", "emmie", "millie"],
        ["amelia", "amelie", "millie", "milly"],
        ["isabel", "isabelle", "isabella", "isobel", "izzy", "izzie", "issy", "bella", "belle", "izabela"],
        ["olivia", "liv", "livvy", "livvie", "ollie", "oliwia"],
        ["joanne", "joanna", "joan", "jo", "jojo", "joanie"],
        ["josephine", "jo", "josie", "josefina", "jozefina", "jozefa"],
        ["frances", "fran", "francesca", "frankie", "fanny", "franziska", "francine"],
        ["gabrielle", "gabriella", "gabby", "gabbie", "gabi"],
        ["kimberley", "kimberly", "kim"],
        ["natalie", "nathalie", "natalia", "natalya", "nataliya", "natasha", "tasha", "nat"],
        ["sophie", "sophia", "sofia", "sofiya", "sofie", "zofia", "soph"],
        ["louise", "louisa", "lou", "lulu", "luisa", "ludwika"],
        ["lucy", "lucie", "lucia", "luci", "lucja"],
        ["caroline", "carolyn", "carol", "carole", "carrie", "caz", "karolina", "carolina"],
        ["mary", "molly", "mollie", "polly", "mamie", "maire", "maria", "marie", "mariya", "mariia", "maryla"],
        ["maryam", "mariam", "miriam", "meryem", "mariyam", "mariama"],
        ["fatima", "fatimah", "fatma", "fatuma", "fatemeh", "fatoumata"],
        ["aisha", "ayesha", "aysha", "aishah", "ayisha", "ayse", "aishat", "aicha"],
        ["khadija", "khadijah", "kadija", "khadeeja", "hadiza"],
        ["yasmin", "yasmine", "yasmeen", "jasmine", "jasmin", "jazmin", "yazmin"],
        ["zainab", "zaynab", "zeinab", "zenab"],
        ["amina", "aminah", "ameena", "amena", "aminata"],
        ["nadia", "nadiya", "nadya", "nadine"],
        ["tatiana", "tatyana", "tetiana", "tanya", "tania"],
        ["anastasia", "anastasiya", "nastya", "nastia"],
        ["agnieszka", "agnes", "aggie", "agnese"],
        ["kayleigh", "kayley", "kaylee", "kaley", "kaleigh", "caleigh", "kailey"],
        ["chloe", "khloe", "cloe"],
        ["zoe", "zoey", "zoie"],
        ["leah", "lea", "lia"],
        ["siobhan", "shivaun", "shevaun", "chevonne"],
        ["niamh", "neve", "neave", "neev"],
        ["tracey", "tracy", "tracie"],
        ["lindsay", "lindsey", "linsey", "lyndsey", "lyndsay"],
        ["leanne", "lianne", "leeanne", "leann"],
        ["hayley", "haley", "hailey", "haylee"],
        ["ashleigh", "ashley", "ashlee"],
        ["lesley", "leslie", "les"],
        ["kerry", "kerrie", "keri", "kerri"],
        ["penelope", "penny", "pen"],
        ["dorothy", "dot", "dotty", "dolly", "dora"],
        ["gwendolen", "gwendoline", "gwen", "gwenda"],

        // Names shared across Muslim, Turkish, Somali and South Asian communities, in their usual spellings.
        ["ibrahim", "ebrahim", "ibraheem", "ibrahem", "brahim", "ibrahima"],
        ["abdullah", "abdulla", "abdallah", "abdalla", "abdullahi"],
        ["ahmed", "ahmad", "ahmet", "ahmid", "ahmadu"],
        ["hussain", "hussein", "husain", "husein", "hossain", "hosain", "hussien", "huseyin"],
        ["hassan", "hasan", "hasaan", "hassen"],
        ["omar", "umar", "omer", "omari"],
        ["osman", "usman", "uthman", "othman", "usmaan"],
        ["hamza", "hamzah", "hamzat"],
        ["mustafa", "mustapha", "mostafa", "moustafa", "mustafe"],
        ["ismail", "ismael", "esmail", "ismaeel", "ismayil"],
        ["suleiman", "sulaiman", "suleyman", "sulayman", "sulaimon"],
        ["abdul", "abdel", "abdoul", "abdi"],
        ["ali", "aly"],
        ["bilal", "bilaal", "belal"],
        ["hamid", "hameed", "hamed"],
        ["rashid", "rasheed", "rashed"],
        ["khalid", "khaled", "khalied"],
        ["tariq", "tarik", "tareq"],
        ["imran", "imraan", "emran"],
        ["faisal", "faysal", "feisal"],
        ["adam", "adem", "adama"],
    ];

    // Declared after GivenNameGroups: static fields are initialised in the order they are written.
    private static readonly FrozenDictionary<string, FrozenSet<string>> VariantsByName = BuildVariants();

    /// <summary>The groups of equivalent given names behind <see cref="Variants"/>, for documentation and tests.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> VariantGroups { get; } =
        [.. GivenNameGroups.Select(g => (IReadOnlyList<string>)[.. g])];

    [GeneratedRegex(" *-[ -]*", RegexOptions.CultureInvariant)]
    private static partial Regex HyphenWithSpaces();

    [GeneratedRegex(" {2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Spaces();
}
