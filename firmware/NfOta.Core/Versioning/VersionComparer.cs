namespace NfOta.Versioning
{
    /// <summary>
    /// Orders the version strings platforms use: "1.0.1", "v1.0", "1.0.1.9.20171112.1432", and
    /// semantic versions with a pre-release ("2.0.0-rc.1") or build part ("1.2.0+abc").
    /// Rules: a leading 'v' is ignored; dot-separated parts compare numerically when both are
    /// numbers and by ordinal text otherwise, a number sorting before text; a missing part counts
    /// as 0 ("1.0" equals "1.0.0"); a pre-release sorts before its release; build metadata is ignored.
    /// </summary>
    public static class VersionComparer
    {
        public const int MaxLength = 64;

        /// <summary>True for a non-empty version of at most 64 printable ASCII letters, digits and ".-+_".</summary>
        public static bool IsValid(string version)
        {
            if (version == null || version.Length == 0 || version.Length > MaxLength) return false;
            bool hasAlnum = false;
            for (int i = 0; i < version.Length; i++)
            {
                char c = version[i];
                bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
                if (alnum) hasAlnum = true;
                else if (c != '.' && c != '-' && c != '+' && c != '_') return false;
            }
            return hasAlnum;
        }

        /// <summary>Negative when a is older than b, zero when equal, positive when newer.</summary>
        public static int Compare(string a, string b)
        {
            if (a == null) a = "";
            if (b == null) b = "";
            a = StripBuild(StripV(a));
            b = StripBuild(StripV(b));
            string aPre = PreRelease(a);
            string bPre = PreRelease(b);
            string aMain = aPre == null ? a : a.Substring(0, a.Length - aPre.Length - 1);
            string bMain = bPre == null ? b : b.Substring(0, b.Length - bPre.Length - 1);

            int c = CompareDotted(aMain, bMain, true);
            if (c != 0) return c;
            if (aPre == null && bPre == null) return 0;
            if (aPre == null) return 1;   // a release is newer than its pre-release
            if (bPre == null) return -1;
            return CompareDotted(aPre, bPre, false);
        }

        public static bool IsNewer(string candidate, string running)
        {
            return Compare(candidate, running) > 0;
        }

        private static string StripV(string s)
        {
            if (s.Length > 1 && (s[0] == 'v' || s[0] == 'V') && s[1] >= '0' && s[1] <= '9') return s.Substring(1);
            return s;
        }

        private static string StripBuild(string s)
        {
            int plus = s.IndexOf('+');
            return plus < 0 ? s : s.Substring(0, plus);
        }

        private static string PreRelease(string s)
        {
            int dash = s.IndexOf('-');
            return dash < 0 ? null : s.Substring(dash + 1);
        }

        private static int CompareDotted(string a, string b, bool missingIsZero)
        {
            int ia = 0, ib = 0;
            while (ia < a.Length || ib < b.Length)
            {
                if (!missingIsZero)
                {
                    // SemVer pre-release: the shorter list of identifiers sorts first.
                    if (ia >= a.Length) return -1;
                    if (ib >= b.Length) return 1;
                }
                int ea = NextDot(a, ia);
                int eb = NextDot(b, ib);
                int c = ComparePart(a, ia, ea, b, ib, eb);
                if (c != 0) return c;
                ia = ea + 1;
                ib = eb + 1;
            }
            return 0;
        }

        private static int NextDot(string s, int from)
        {
            if (from >= s.Length) return from; // past the end: an empty part
            int d = s.IndexOf('.', from);
            return d < 0 ? s.Length : d;
        }

        private static int ComparePart(string a, int sa, int ea, string b, int sb, int eb)
        {
            bool aEmpty = sa >= ea, bEmpty = sb >= eb;
            bool aNum = aEmpty || IsDigits(a, sa, ea);
            bool bNum = bEmpty || IsDigits(b, sb, eb);
            if (aNum && bNum)
            {
                // Compare digit strings without overflow: skip leading zeros, then length, then text.
                while (sa < ea && a[sa] == '0') sa++;
                while (sb < eb && b[sb] == '0') sb++;
                int la = ea - sa, lb = eb - sb;
                if (la != lb) return la < lb ? -1 : 1;
                for (int i = 0; i < la; i++)
                {
                    if (a[sa + i] != b[sb + i]) return a[sa + i] < b[sb + i] ? -1 : 1;
                }
                return 0;
            }
            if (aNum) return -1;
            if (bNum) return 1;
            int n = ea - sa < eb - sb ? ea - sa : eb - sb;
            for (int i = 0; i < n; i++)
            {
                if (a[sa + i] != b[sb + i]) return a[sa + i] < b[sb + i] ? -1 : 1;
            }
            int da = ea - sa, db = eb - sb;
            return da == db ? 0 : (da < db ? -1 : 1);
        }

        private static bool IsDigits(string s, int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                if (s[i] < '0' || s[i] > '9') return false;
            }
            return true;
        }
    }
}
