using System.Text;

namespace NfOta.Json
{
    /// <summary>
    /// Writes compact JSON in the order the calls come, so a message is built exactly as its
    /// platform document shows it. Commas are placed automatically.
    /// </summary>
    public sealed class JsonWriter
    {
        private readonly StringBuilder _sb = new StringBuilder(128);
        private bool _needComma;

        public JsonWriter BeginObject()
        {
            Separate();
            _sb.Append('{');
            _needComma = false;
            return this;
        }

        public JsonWriter EndObject()
        {
            _sb.Append('}');
            _needComma = true;
            return this;
        }

        public JsonWriter BeginArray()
        {
            Separate();
            _sb.Append('[');
            _needComma = false;
            return this;
        }

        public JsonWriter EndArray()
        {
            _sb.Append(']');
            _needComma = true;
            return this;
        }

        /// <summary>Writes a property name; the next call writes its value.</summary>
        public JsonWriter Name(string name)
        {
            Separate();
            WriteString(name);
            _sb.Append(':');
            _needComma = false;
            return this;
        }

        public JsonWriter Value(string value)
        {
            Separate();
            if (value == null) _sb.Append("null");
            else WriteString(value);
            _needComma = true;
            return this;
        }

        public JsonWriter Value(long value)
        {
            Separate();
            _sb.Append(value.ToString());
            _needComma = true;
            return this;
        }

        public JsonWriter Value(bool value)
        {
            Separate();
            _sb.Append(value ? "true" : "false");
            _needComma = true;
            return this;
        }

        public JsonWriter Property(string name, string value)
        {
            return Name(name).Value(value);
        }

        public JsonWriter Property(string name, long value)
        {
            return Name(name).Value(value);
        }

        public JsonWriter Property(string name, bool value)
        {
            return Name(name).Value(value);
        }

        public override string ToString()
        {
            return _sb.ToString();
        }

        public byte[] ToUtf8()
        {
            return Encoding.UTF8.GetBytes(_sb.ToString());
        }

        private void Separate()
        {
            if (_needComma) _sb.Append(',');
        }

        private void WriteString(string s)
        {
            _sb.Append('"');
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                switch (c)
                {
                    case '"': _sb.Append("\\\""); break;
                    case '\\': _sb.Append("\\\\"); break;
                    case '\n': _sb.Append("\\n"); break;
                    case '\r': _sb.Append("\\r"); break;
                    case '\t': _sb.Append("\\t"); break;
                    default:
                        if (c < 0x20)
                        {
                            _sb.Append("\\u00");
                            _sb.Append(HexChars[c >> 4]);
                            _sb.Append(HexChars[c & 0xF]);
                        }
                        else
                        {
                            _sb.Append(c);
                        }
                        break;
                }
            }
            _sb.Append('"');
        }

        private const string HexChars = "0123456789abcdef";
    }
}
