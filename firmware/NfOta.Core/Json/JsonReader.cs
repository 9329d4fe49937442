using System;
using System.Collections;
using System.Text;

namespace NfOta.Json
{
    /// <summary>
    /// A strict, bounded JSON parser for the small messages OTA protocols exchange. It reads UTF-8
    /// bytes directly and returns objects as <see cref="Hashtable"/>, arrays as <see cref="ArrayList"/>,
    /// strings, <see cref="long"/> for integers, <see cref="double"/> for other numbers, booleans,
    /// and <see cref="JsonNull.Value"/> for null. It never throws on bad input: malformed text,
    /// nesting deeper than <see cref="MaxDepth"/> or input longer than <see cref="MaxLength"/> give
    /// null and a one-line error.
    /// </summary>
    public sealed class JsonReader
    {
        public const int MaxDepth = 32;
        public const int MaxLength = 64 * 1024;

        private readonly byte[] _s;
        private readonly int _end;
        private int _pos;
        private string _error;

        private JsonReader(byte[] s, int offset, int count)
        {
            _s = s;
            _pos = offset;
            _end = offset + count;
        }

        /// <summary>Parses a whole UTF-8 document. Returns null and sets error on failure.</summary>
        public static object Parse(byte[] utf8, int offset, int count, out string error)
        {
            error = null;
            if (utf8 == null || offset < 0 || count < 0 || offset + count > utf8.Length)
            {
                error = "no JSON text";
                return null;
            }
            if (count > MaxLength)
            {
                error = "JSON text longer than " + MaxLength + " bytes";
                return null;
            }
            var r = new JsonReader(utf8, offset, count);
            r.SkipBom();
            object v = r.ReadValue(0);
            if (r._error == null)
            {
                r.SkipWs();
                if (r._pos != r._end) r.Fail("unexpected text after the JSON value");
            }
            if (r._error != null)
            {
                error = r._error;
                return null;
            }
            return v;
        }

        public static object Parse(byte[] utf8, out string error)
        {
            return Parse(utf8, 0, utf8 == null ? 0 : utf8.Length, out error);
        }

        public static object Parse(string text, out string error)
        {
            if (text == null)
            {
                error = "no JSON text";
                return null;
            }
            return Parse(Encoding.UTF8.GetBytes(text), out error);
        }

        /// <summary>Parses a document that must be an object.</summary>
        public static Hashtable ParseObject(byte[] utf8, out string error)
        {
            object v = Parse(utf8, out error);
            if (v == null) return null;
            var h = v as Hashtable;
            if (h == null) error = "expected a JSON object";
            return h;
        }

        private void SkipBom()
        {
            if (_end - _pos >= 3 && _s[_pos] == 0xEF && _s[_pos + 1] == 0xBB && _s[_pos + 2] == 0xBF) _pos += 3;
        }

        private void Fail(string message)
        {
            if (_error == null) _error = message + " at byte " + _pos;
        }

        private void SkipWs()
        {
            while (_pos < _end)
            {
                byte c = _s[_pos];
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') _pos++;
                else break;
            }
        }

        private object ReadValue(int depth)
        {
            if (depth > MaxDepth)
            {
                Fail("JSON nested deeper than " + MaxDepth);
                return null;
            }
            SkipWs();
            if (_pos >= _end)
            {
                Fail("unexpected end of JSON");
                return null;
            }
            byte c = _s[_pos];
            switch (c)
            {
                case (byte)'{': return ReadObject(depth);
                case (byte)'[': return ReadArray(depth);
                case (byte)'"': return ReadString();
                case (byte)'t': return ReadLiteral("true", true);
                case (byte)'f': return ReadLiteral("false", false);
                case (byte)'n': return ReadLiteral("null", JsonNull.Value);
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) return ReadNumber();
                    Fail("unexpected character '" + (char)c + "'");
                    return null;
            }
        }

        private object ReadLiteral(string word, object value)
        {
            if (_end - _pos < word.Length)
            {
                Fail("unexpected end of JSON");
                return null;
            }
            for (int i = 0; i < word.Length; i++)
            {
                if (_s[_pos + i] != word[i])
                {
                    Fail("invalid literal");
                    return null;
                }
            }
            _pos += word.Length;
            return value;
        }

        private Hashtable ReadObject(int depth)
        {
            var h = new Hashtable();
            _pos++; // {
            SkipWs();
            if (_pos < _end && _s[_pos] == '}')
            {
                _pos++;
                return h;
            }
            while (_error == null)
            {
                SkipWs();
                if (_pos >= _end || _s[_pos] != '"')
                {
                    Fail("expected a property name");
                    return null;
                }
                string key = ReadString();
                if (_error != null) return null;
                SkipWs();
                if (_pos >= _end || _s[_pos] != ':')
                {
                    Fail("expected ':'");
                    return null;
                }
                _pos++;
                object v = ReadValue(depth + 1);
                if (_error != null) return null;
                h[key] = v;
                SkipWs();
                if (_pos >= _end)
                {
                    Fail("unterminated object");
                    return null;
                }
                byte c = _s[_pos++];
                if (c == '}') return h;
                if (c != ',')
                {
                    Fail("expected ',' or '}'");
                    return null;
                }
            }
            return null;
        }

        private ArrayList ReadArray(int depth)
        {
            var a = new ArrayList();
            _pos++; // [
            SkipWs();
            if (_pos < _end && _s[_pos] == ']')
            {
                _pos++;
                return a;
            }
            while (_error == null)
            {
                object v = ReadValue(depth + 1);
                if (_error != null) return null;
                a.Add(v);
                SkipWs();
                if (_pos >= _end)
                {
                    Fail("unterminated array");
                    return null;
                }
                byte c = _s[_pos++];
                if (c == ']') return a;
                if (c != ',')
                {
                    Fail("expected ',' or ']'");
                    return null;
                }
            }
            return null;
        }

        private string ReadString()
        {
            _pos++; // opening quote
            int start = _pos;
            // Fast path: no escapes.
            while (_pos < _end)
            {
                byte c = _s[_pos];
                if (c == '"')
                {
                    string plain = Encoding.UTF8.GetString(_s, start, _pos - start);
                    _pos++;
                    return plain;
                }
                if (c == '\\') break;
                if (c < 0x20)
                {
                    Fail("control character in string");
                    return null;
                }
                _pos++;
            }
            if (_pos >= _end)
            {
                Fail("unterminated string");
                return null;
            }
            var sb = new StringBuilder(Encoding.UTF8.GetString(_s, start, _pos - start));
            int runStart = _pos;
            while (_pos < _end)
            {
                byte c = _s[_pos];
                if (c == '"')
                {
                    if (_pos > runStart) sb.Append(Encoding.UTF8.GetString(_s, runStart, _pos - runStart));
                    _pos++;
                    return sb.ToString();
                }
                if (c < 0x20)
                {
                    Fail("control character in string");
                    return null;
                }
                if (c != '\\')
                {
                    _pos++;
                    continue;
                }
                if (_pos > runStart) sb.Append(Encoding.UTF8.GetString(_s, runStart, _pos - runStart));
                _pos++;
                if (_pos >= _end) break;
                byte e = _s[_pos++];
                switch (e)
                {
                    case (byte)'"': sb.Append('"'); break;
                    case (byte)'\\': sb.Append('\\'); break;
                    case (byte)'/': sb.Append('/'); break;
                    case (byte)'b': sb.Append('\b'); break;
                    case (byte)'f': sb.Append('\f'); break;
                    case (byte)'n': sb.Append('\n'); break;
                    case (byte)'r': sb.Append('\r'); break;
                    case (byte)'t': sb.Append('\t'); break;
                    case (byte)'u':
                        int code = ReadHex4();
                        if (code < 0)
                        {
                            Fail("invalid \\u escape");
                            return null;
                        }
                        sb.Append((char)code);
                        break;
                    default:
                        Fail("invalid escape");
                        return null;
                }
                runStart = _pos;
            }
            Fail("unterminated string");
            return null;
        }

        private int ReadHex4()
        {
            if (_end - _pos < 4) return -1;
            int v = 0;
            for (int i = 0; i < 4; i++)
            {
                int d = HexDigit(_s[_pos + i]);
                if (d < 0) return -1;
                v = (v << 4) | d;
            }
            _pos += 4;
            return v;
        }

        private static int HexDigit(byte c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            return -1;
        }

        private object ReadNumber()
        {
            int start = _pos;
            bool integral = true;
            if (_s[_pos] == '-') _pos++;
            int digitsStart = _pos;
            while (_pos < _end && _s[_pos] >= '0' && _s[_pos] <= '9') _pos++;
            int intDigits = _pos - digitsStart;
            if (intDigits == 0 || (intDigits > 1 && _s[digitsStart] == '0'))
            {
                Fail("invalid number");
                return null;
            }
            if (_pos < _end && _s[_pos] == '.')
            {
                integral = false;
                _pos++;
                int fs = _pos;
                while (_pos < _end && _s[_pos] >= '0' && _s[_pos] <= '9') _pos++;
                if (_pos == fs)
                {
                    Fail("invalid number");
                    return null;
                }
            }
            if (_pos < _end && (_s[_pos] == 'e' || _s[_pos] == 'E'))
            {
                integral = false;
                _pos++;
                if (_pos < _end && (_s[_pos] == '+' || _s[_pos] == '-')) _pos++;
                int es = _pos;
                while (_pos < _end && _s[_pos] >= '0' && _s[_pos] <= '9') _pos++;
                if (_pos == es)
                {
                    Fail("invalid number");
                    return null;
                }
            }
            if (integral && intDigits <= 18)
            {
                long v = 0;
                for (int i = digitsStart; i < _pos; i++) v = v * 10 + (_s[i] - '0');
                return _s[start] == '-' ? -v : v;
            }
            string text = Encoding.UTF8.GetString(_s, start, _pos - start);
            double d;
            if (!double.TryParse(text, out d))
            {
                Fail("number out of range");
                return null;
            }
            return d;
        }
    }

    /// <summary>The JSON null literal, distinct from a missing property.</summary>
    public sealed class JsonNull
    {
        public static readonly JsonNull Value = new JsonNull();

        private JsonNull()
        {
        }

        public override string ToString()
        {
            return "null";
        }
    }
}
