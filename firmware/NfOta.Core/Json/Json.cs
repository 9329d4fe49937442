using System.Collections;

namespace NfOta.Json
{
    /// <summary>
    /// Typed reads from a parsed object. Protocols disagree on types (Alibaba sends "code" as a string
    /// in one message and a number in another), so the lenient readers accept a number written as a
    /// string and the reverse, while the strict ones report the wrong type.
    /// </summary>
    public static class Json
    {
        public static bool Has(Hashtable obj, string key)
        {
            return obj != null && obj.Contains(key) && !(obj[key] is JsonNull);
        }

        public static Hashtable GetObject(Hashtable obj, string key)
        {
            return obj == null ? null : obj[key] as Hashtable;
        }

        public static ArrayList GetArray(Hashtable obj, string key)
        {
            return obj == null ? null : obj[key] as ArrayList;
        }

        /// <summary>A string property, or a number rendered as a string; null when missing or of another type.</summary>
        public static string GetString(Hashtable obj, string key)
        {
            if (obj == null) return null;
            object v = obj[key];
            if (v is string) return (string)v;
            if (v is long) return ((long)v).ToString();
            return null;
        }

        /// <summary>An integer property, also when sent as a string of digits.</summary>
        public static bool TryGetLong(Hashtable obj, string key, out long value)
        {
            value = 0;
            if (obj == null) return false;
            object v = obj[key];
            if (v is long)
            {
                value = (long)v;
                return true;
            }
            if (v is double)
            {
                double d = (double)v;
                if (d != (long)d) return false;
                value = (long)d;
                return true;
            }
            var s = v as string;
            return s != null && s.Length > 0 && s.Length < 19 && long.TryParse(s, out value);
        }

        public static bool TryGetBool(Hashtable obj, string key, out bool value)
        {
            value = false;
            if (obj == null) return false;
            object v = obj[key];
            if (v is bool)
            {
                value = (bool)v;
                return true;
            }
            return false;
        }
    }
}
