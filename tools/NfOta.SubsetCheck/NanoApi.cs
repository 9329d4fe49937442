using System;
using System.Collections.Generic;

namespace NfOta.SubsetCheck
{
    /// <summary>
    /// What .NET nanoFramework's base library offers, for the types device code is most tempted to use
    /// the .NET way. Written by hand from the nanoFramework sources (nanoframework/CoreLibrary at commit
    /// 5e378893, May 2026, nanoframework/System.Text and nanoframework/System.Collections); each table names its file. A member the
    /// .NET compile binds to that is not listed here does not exist on the device.
    /// </summary>
    public static class NanoApi
    {
        /// <summary>
        /// Public types of namespace System in nanoFramework.CoreLibrary (nanoFramework.CoreLibrary/System/*.cs).
        /// Not there, among others: Math (a separate package; the project keeps the core free of it),
        /// Buffer, Environment, Tuple, ValueTuple, Nullable, Lazy, Span, ReadOnlySpan, Memory, Index, Range,
        /// StringComparison, StringSplitOptions, MathF, HashCode.
        /// </summary>
        public static readonly HashSet<string> SystemTypes = new HashSet<string>(StringComparer.Ordinal)
        {
            "Action", "AppDomain", "AppDomainUnloadedException", "ApplicationException", "ArgumentException",
            "ArgumentNullException", "ArgumentOutOfRangeException", "Array", "AsyncCallback", "Attribute",
            "AttributeTargets", "AttributeUsageAttribute", "Base64FormattingOptions", "BitConverter", "Boolean",
            "Byte", "CLSCompliantAttribute", "Char", "Console", "Convert", "DBNull", "DateTime", "DateTimeKind",
            "DayOfWeek", "Decimal", "Delegate", "Double", "Enum", "EventArgs", "EventHandler", "Exception",
            "FlagsAttribute", "FormatException", "Func", "GC", "Guid", "IAsyncResult", "ICloneable", "IComparable",
            "ICustomFormatter", "IDisposable", "IFormatProvider", "IFormattable", "IndexOutOfRangeException",
            "Int16", "Int32", "Int64", "IntPtr", "InvalidCastException", "InvalidOperationException",
            "MTAThreadAttribute", "MarshalByRefObject", "MulticastDelegate", "NonSerializedAttribute",
            "NotImplementedException", "NotSupportedException", "NullReferenceException", "Object",
            "ObjectDisposedException", "ObsoleteAttribute", "OutOfMemoryException", "ParamArrayAttribute",
            "PlatformNotSupportedException", "Random", "RuntimeArgumentHandle", "RuntimeFieldHandle",
            "RuntimeMethodHandle", "RuntimeTypeHandle", "SByte", "STAThreadAttribute", "SerializableAttribute",
            "Single", "SpanByte", "String", "SystemException", "TimeSpan", "TimeoutException", "Type", "TypeCode",
            "TypedReference", "UInt16", "UInt32", "UInt64", "UIntPtr", "ValueType", "Version", "Void",
            "WeakReference",
        };

        /// <summary>
        /// Non-generic types of namespace System.Collections: CoreLibrary's System/Collections/*.cs plus the
        /// nanoFramework.System.Collections package (Collections/Hashtable.cs, Queue.cs, Stack.cs,
        /// DictionaryEntry.cs, IDictionary.cs, IDictionaryEnumerator.cs).
        /// </summary>
        public static readonly HashSet<string> CollectionsTypes = new HashSet<string>(StringComparer.Ordinal)
        {
            "ArrayList", "ICollection", "IComparer", "IEnumerable", "IEnumerator", "IEqualityComparer", "IList",
            "Hashtable", "Queue", "Stack", "DictionaryEntry", "IDictionary", "IDictionaryEnumerator",
        };

        /// <summary>Members every type has (System/Object.cs); checked by name only.</summary>
        public static readonly HashSet<string> ObjectMembers = new HashSet<string>(StringComparer.Ordinal)
        {
            "Equals", "GetHashCode", "GetType", "ReferenceEquals", "CompareTo", "MemberwiseClone",
        };

        /// <summary>
        /// Methods and constructors by type: each entry "Name(parameter types)". "params " marks a params
        /// array, a trailing "=" an optional parameter, "out " an out parameter. Properties, fields and
        /// constants are listed by name alone.
        /// </summary>
        public static readonly Dictionary<string, string[]> Members = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            // nanoFramework.CoreLibrary/System/String.cs. No Replace, Join, IsNullOrWhiteSpace, Insert, Remove,
            // ToLowerInvariant/ToUpperInvariant, Split(string), Contains(char), StartsWith(char), nor any
            // StringComparison overload.
            ["System.String"] = new[]
            {
                "Empty", "Length", "Chars",
                ".ctor(char[], int, int)", ".ctor(char[])", ".ctor(char, int)",
                "ToCharArray()", "ToCharArray(int, int)",
                "Split(params char[])", "Split(char[], int)",
                "Substring(int)", "Substring(int, int)",
                "Trim()", "Trim(params char[])", "TrimStart(params char[])", "TrimEnd(params char[])",
                "Compare(string, string)", "CompareTo(object)", "CompareTo(string)",
                "Equals(string, string)", "Equals(object)",
                "IndexOf(char)", "IndexOf(char, int)", "IndexOf(char, int, int)",
                "IndexOf(string)", "IndexOf(string, int)", "IndexOf(string, int, int)",
                "IndexOfAny(char[])", "IndexOfAny(char[], int)", "IndexOfAny(char[], int, int)",
                "LastIndexOf(char)", "LastIndexOf(char, int)", "LastIndexOf(char, int, int)",
                "LastIndexOf(string)", "LastIndexOf(string, int)", "LastIndexOf(string, int, int)",
                "LastIndexOfAny(char[])", "LastIndexOfAny(char[], int)", "LastIndexOfAny(char[], int, int)",
                "ToLower()", "ToUpper()", "ToString()",
                "Concat(object)", "Concat(object, object)", "Concat(object, object, object)", "Concat(params object[])",
                "Concat(string, string)", "Concat(string, string, string)", "Concat(string, string, string, string)",
                "Concat(params string[])",
                "Intern(string)", "IsInterned(string)",
                "Format(string, params object[])",
                "PadLeft(int, char=)", "PadRight(int, char=)",
                "IsNullOrEmpty(string)",
                "Contains(string)", "StartsWith(string)", "EndsWith(string)",
                "GetEnumerator()",
            },
            // nanoFramework.CoreLibrary/System/Array.cs. No Empty, Resize, Sort, Reverse, Fill, Exists, Find.
            ["System.Array"] = new[]
            {
                "Length", "SyncRoot", "IsReadOnly", "IsFixedSize", "IsSynchronized",
                "CreateInstance(Type, int)",
                "Copy(Array, Array, int)", "Copy(Array, int, Array, int, int)",
                "Clear(Array, int, int)",
                "GetValue(int)", "Clone()", "CopyTo(Array, int)", "GetEnumerator()",
                "BinarySearch(Array, object, IComparer)", "BinarySearch(Array, int, int, object, IComparer)",
                "IndexOf(Array, object)", "IndexOf(Array, object, int)", "IndexOf(Array, object, int, int)",
            },
            // nanoFramework.CoreLibrary/System/Convert.cs. No ToHexString/FromHexString, and the integer
            // conversions take strings only (no Convert.ToInt32(long)).
            ["System.Convert"] = new[]
            {
                "ToBoolean(byte)", "ToChar(ushort)",
                "ToSByte(string, int=)", "ToByte(string, int=)", "ToByte(bool)",
                "ToInt16(string, int=)", "ToUInt16(string, int=)", "ToInt32(string, int=)", "ToUInt32(string, int=)",
                "ToInt64(string, int=)", "ToUInt64(string, int=)",
                "ToDouble(string)", "ToSingle(string)", "ToDateTime(string)",
                "ToBase64String(byte[])", "ToBase64String(byte[], Base64FormattingOptions)",
                "ToBase64String(byte[], int, int)", "ToBase64String(byte[], int, int, Base64FormattingOptions)",
                "FromBase64String(string)", "FromBase64CharArray(char[], int, int)",
            },
            // nanoFramework.CoreLibrary/System/Char.cs: no IsDigit, IsLetter, IsWhiteSpace, static ToLower...
            ["System.Char"] = new[] { "MaxValue", "MinValue", "ToString()", "ToLower()", "ToUpper()" },
            // nanoFramework.CoreLibrary/System/Boolean.cs: no Parse/TryParse.
            ["System.Boolean"] = new[] { "FalseString", "TrueString", "ToString()" },
            // nanoFramework.CoreLibrary/System/Enum.cs: no Parse, TryParse, GetValues, GetNames, IsDefined.
            ["System.Enum"] = new[] { "HasFlag(Enum)", "ToString()" },
            // nanoFramework.CoreLibrary/System/Int32.cs, Int64.cs, Byte.cs, UInt32.cs, Double.cs.
            ["System.Int32"] = IntegerMembers("int"),
            ["System.Int64"] = IntegerMembers("long"),
            ["System.Byte"] = IntegerMembers("byte"),
            ["System.UInt32"] = IntegerMembers("uint"),
            ["System.Double"] = new[]
            {
                "MaxValue", "MinValue", "Epsilon", "NaN", "NegativeInfinity", "PositiveInfinity",
                "ToString()", "ToString(string)", "Parse(string)", "TryParse(string, out double)",
                "CompareTo(double)", "IsInfinity(double)", "IsNaN(double)", "IsNegativeInfinity(double)",
                "IsPositiveInfinity(double)",
            },
            // nanoFramework.CoreLibrary/System/BitConverter.cs
            ["System.BitConverter"] = new[]
            {
                "IsLittleEndian", "DoubleToInt64Bits(double)", "Int64BitsToDouble(long)",
                "GetBytes(bool)", "GetBytes(char)", "GetBytes(double)", "GetBytes(float)", "GetBytes(int)",
                "GetBytes(long)", "GetBytes(short)", "GetBytes(uint)", "GetBytes(ulong)", "GetBytes(ushort)",
                "ToBoolean(byte[], int)", "ToChar(byte[], int)", "ToDouble(byte[], int)", "ToInt16(byte[], int)",
                "ToInt32(byte[], int)", "ToInt64(byte[], int)", "ToSingle(byte[], int)", "ToUInt16(byte[], int)",
                "ToUInt32(byte[], int)", "ToUInt64(byte[], int)",
                "ToString(byte[])", "ToString(byte[], int)", "ToString(byte[], int, int)",
            },
            // nanoframework/System.Text at 4c12b0e (Jul 2026), nanoFramework.System.Text/Text/Encoding.cs and
            // UTF8Encoding.cs: GetString needs (bytes, index, count); no ASCII/Unicode, GetByteCount, GetPreamble.
            ["System.Text.Encoding"] = EncodingMembers(false),
            ["System.Text.UTF8Encoding"] = EncodingMembers(true),
            // nanoFramework.System.Text/Text/StringBuilder.cs: no AppendFormat, Insert(int, string), AppendJoin, EnsureCapacity.
            ["System.Text.StringBuilder"] = new[]
            {
                "Length", "Capacity", "Chars",
                ".ctor()", ".ctor(int)", ".ctor(string)", ".ctor(string, int)", ".ctor(int, int)", ".ctor(string, int, int, int)",
                "Append(bool)", "Append(byte)", "Append(char)", "Append(double)", "Append(short)", "Append(char[])",
                "Append(int)", "Append(long)", "Append(object)", "Append(string)", "Append(sbyte)", "Append(float)",
                "Append(ushort)", "Append(uint)", "Append(ulong)",
                "Append(string, int, int)", "Append(char[], int, int)", "Append(char, int)",
                "Remove(int, int)", "Insert(int, string, int)", "Insert(int, char[], int, int)",
                "Replace(char, char, int, int)", "Replace(char, char)", "Replace(string, string, int, int)", "Replace(string, string)",
                "Clear()", "ToString()", "ToString(int, int)", "AppendLine(string)", "AppendLine()",
            },
            // nanoFramework.CoreLibrary/System/Threading/Monitor.cs: Enter/Exit only (no TryEnter, Wait, Pulse).
            ["System.Threading.Monitor"] = new[] { "Enter(object)", "Exit(object)" },
        };

        private static string[] EncodingMembers(bool utf8Class)
        {
            return new[]
            {
                utf8Class ? ".ctor()" : "UTF8",
                "GetBytes(string)", "GetBytes(string, int, int, byte[], int)", "GetChars(byte[])", "GetChars(byte[], int, int)",
                "GetString(byte[], int, int)", "GetDecoder()",
            };
        }

        private static string[] IntegerMembers(string t)
        {
            return new[] { "MaxValue", "MinValue", "ToString()", "ToString(string)", "Parse(string)", "TryParse(string, out " + t + ")" };
        }
    }
}
