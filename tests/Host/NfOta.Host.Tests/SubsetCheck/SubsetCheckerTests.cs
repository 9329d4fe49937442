using System;
using System.IO;
using System.Linq;
using NfOta.SubsetCheck;
using Xunit;
using Xunit.Abstractions;

namespace NfOta.Host.Tests.SubsetCheck
{
    public class SubsetCheckerTests
    {
        private readonly ITestOutputHelper _output;

        public SubsetCheckerTests(ITestOutputHelper output)
        {
            _output = output;
        }

        private static string InMethod(string body, string usings = "using System;\nusing System.Collections;\nusing System.Text;\n")
        {
            return usings + "namespace N\n{\n    public class C\n    {\n        public void M(object o, string s, long l, byte[] b)\n        {\n" + body + "\n        }\n    }\n}\n";
        }

        [Theory]
        [InlineData("var list = new System.Collections.Generic.List<int>();", "generic type or method 'List<int>'")]
        [InlineData("System.Collections.Generic.Dictionary<string, int> d = null;", "generic type or method")]
        [InlineData("System.Collections.Generic.IEnumerable<int> e = null;", "generic type or method")]
        [InlineData("Func<int, int, int, int> f = null;", "generic type or method 'Func<int, int, int, int>'")]
        [InlineData("Action<int, int, int> a = null;", "generic type or method")]
        [InlineData("Nullable<int> n = null;", "generic type or method 'Nullable<int>'")]
        [InlineData("int? n = null;", "nullable type 'int?'")]
        [InlineData("var t = (1, 2);", "tuple '(1, 2)'")]
        [InlineData("(int, string) t = default;", "tuple type")]
        [InlineData("var (x, y) = (1, 2);", "deconstruction")]
        [InlineData("double d = Math.Abs(-1.0);", "System.Math")]
        [InlineData("double d = System.Math.Sqrt(2);", "System.Math")]
        [InlineData("try { } catch (Exception e) when (e != null) { }", "catch ... when")]
        [InlineData("s = $\"x{l}\";", "string interpolation")]
        [InlineData("int y = l switch { 1 => 1, _ => 2 };", "switch expression")]
        [InlineData("if (o is string str) { }", "'is' pattern 'string str'")]
        [InlineData("if (o is null) { }", "'is' pattern 'null'")]
        [InlineData("if (o is not string) { }", "'is' pattern")]
        [InlineData("switch (o) { case string x: break; }", "pattern in switch case")]
        [InlineData("Span<byte> sp = stackalloc byte[4];", "stackalloc")]
        [InlineData("Span<byte> sp = b;", "generic type or method 'Span<byte>'")]
        [InlineData("dynamic d = o;", "dynamic")]
        [InlineData("s = s.Replace(\"a\", \"b\");", "'String.Replace' does not exist on nanoFramework")]
        [InlineData("s = string.Join(\",\", new string[0]);", "'String.Join' does not exist")]
        [InlineData("s = Convert.ToHexString(b);", "'Convert.ToHexString' does not exist")]
        [InlineData("Buffer.BlockCopy(b, 0, b, 0, 1);", "'System.Buffer' is not in nanoFramework.CoreLibrary")]
        [InlineData("var e = Array.Empty<byte>();", "'Array.Empty' does not exist")]
        [InlineData("bool w = string.IsNullOrWhiteSpace(s);", "'String.IsNullOrWhiteSpace' does not exist")]
        [InlineData("var p = s.Split(\", \");", "no nanoFramework overload of 'String.Split' takes (string)")]
        [InlineData("bool c = s.Contains('x');", "no nanoFramework overload of 'String.Contains' takes (char)")]
        [InlineData("bool c = s.StartsWith(\"x\", StringComparison.Ordinal);", "StringComparison")]
        [InlineData("int k = Convert.ToInt32(l);", "no nanoFramework overload of 'Convert.ToInt32' takes (long)")]
        [InlineData("bool d = char.IsDigit('1');", "'Char.IsDigit' does not exist")]
        [InlineData("bool v = bool.Parse(s);", "'Boolean.Parse' does not exist")]
        [InlineData("Array.Resize(ref b, 4);", "'Array.Resize' does not exist")]
        [InlineData("Array.Sort(b);", "'Array.Sort' does not exist")]
        [InlineData("int i = Array.IndexOf<byte>(b, 1);", "generic type or method 'IndexOf<byte>'")]
        [InlineData("s = Encoding.UTF8.GetString(b);", "no nanoFramework overload of 'Encoding.GetString' takes (byte[])")]
        [InlineData("int n = Encoding.UTF8.GetByteCount(s);", "'Encoding.GetByteCount' does not exist")]
        [InlineData("var a = Encoding.ASCII;", "'Encoding.ASCII' does not exist")]
        [InlineData("new StringBuilder().Insert(0, s);", "no nanoFramework overload of 'StringBuilder.Insert' takes (int, string)")]
        [InlineData("new StringBuilder().AppendFormat(\"{0}\", 1);", "'StringBuilder.AppendFormat' does not exist")]
        [InlineData("var r = s[1..];", "range '..'")]
        [InlineData("var x = b[^1];", "index from end")]
        [InlineData("var q = from x in b select x;", "LINQ query expression")]
        [InlineData("var a = System.Linq.Enumerable.ToArray(b);", "LINQ")]
        [InlineData("System.Threading.Tasks.Task t = null;", "System.Threading.Tasks")]
        [InlineData("Action a = async () => { };", "async")]
        [InlineData("unsafe { }", "unsafe code")]
        [InlineData("var o2 = Environment.TickCount;", "'System.Environment' is not in nanoFramework.CoreLibrary")]
        public void FlagsForbiddenStatement(string statement, string expected)
        {
            var violations = SubsetChecker.CheckSource(InMethod(statement));
            foreach (var v in violations) _output.WriteLine(v.ToString());
            Assert.Contains(violations, v => v.Message.Contains(expected));
        }

        [Theory]
        [InlineData("using System.Linq;\nnamespace N { }", "namespace 'System.Linq' is not available")]
        [InlineData("using System.Collections.Generic;\nnamespace N { }", "namespace 'System.Collections.Generic'")]
        [InlineData("using System.Threading.Tasks;\nnamespace N { }", "namespace 'System.Threading.Tasks'")]
        [InlineData("using System.Security.Cryptography;\nnamespace N { }", "namespace 'System.Security.Cryptography' is not available")]
        [InlineData("using static System.Math;\nnamespace N { }", "using static")]
        [InlineData("namespace N { public record R(int A); }", "record 'R'")]
        [InlineData("namespace N { public class Box<T> { } }", "generic declaration 'Box<T>'")]
        [InlineData("namespace N { public class C { public T Id<T>(T x) { return x; } } }", "generic declaration 'Id<T>'")]
        [InlineData("namespace N { public interface I<T> { } }", "generic declaration")]
        [InlineData("namespace N { public delegate void D<T>(T x); }", "generic declaration")]
        [InlineData("using System.Threading.Tasks;\nnamespace N { public class C { public async Task M() { await Task.Delay(1); } } }", "await")]
        [InlineData("using System.Collections;\nnamespace N { public class C { public IEnumerable M() { yield return 1; } } }", "iterator")]
        [InlineData("namespace N;\npublic class C { }", "not C# 9")]
        [InlineData("namespace N { public class C { public void M(object o) { if (o is string { Length: > 2 } x) { } } } }", "'is' pattern")]
        [InlineData("namespace N { public class C { public void M() { var x = new int[] { 1 } is [1]; } } }", "not C# 9")]
        [InlineData("namespace N { public class C { public string S = \"\"\"raw\"\"\"; } }", "not C# 9")]
        [InlineData("namespace N { public class C { public void M(object o) { var c = new C() with { }; } } }", "'with' expression")]
        public void FlagsForbiddenDeclaration(string source, string expected)
        {
            var violations = SubsetChecker.CheckSource(source);
            foreach (var v in violations) _output.WriteLine(v.ToString());
            Assert.Contains(violations, v => v.Message.Contains(expected));
        }

        [Fact]
        public void AllowsTheSubsetDeviceCodeUses()
        {
            const string source = @"using System;
using System.Collections;
using System.Text;
using System.Threading;
using System.Diagnostics;
using nanoFramework.Runtime.Native;
using NfOta.Json;

namespace N
{
    public delegate void Done(int code);

    public enum Kind { A, B }

    public interface IThing { int Count { get; } }

    public sealed class C : IThing
    {
        private readonly object _lock = new object();
        private readonly ArrayList _items = new ArrayList();
        private readonly Hashtable _map = new Hashtable();
        public event EventHandler Changed;
        public int Count { get { return _items.Count; } }
        public static int Twice(int x) => x * 2;

        public string M(object o, string s, long l, byte[] b, Action<int> a, Func<int, int, int> f, EventHandler<EventArgs> h)
        {
            lock (_lock)
            {
                _items.Add(s);
                _map[""k""] = l;
            }
            if (o is string) s = (string)o;
            var t = o as string;
            string[] parts = s.Split(',', ';');
            int n;
            if (!int.TryParse(parts[0].Trim(), out n)) n = 0;
            long big = long.Parse(""12"");
            double d;
            double.TryParse(""1.5"", out d);
            s = string.Format(""{0}-{1}"", n, big) + s.Substring(1, 2).ToLower() + s.IndexOf(':') + s.PadLeft(4) + string.Concat(""a"", ""b"");
            if (s.StartsWith(""x"") || s.EndsWith(""y"") || s.Contains(""z"") || string.IsNullOrEmpty(t)) { }
            var sb = new StringBuilder();
            sb.Append(s).Append(1).Append('c').Append(s, 0, 1).Append(l).AppendLine().Replace(""a"", ""b"").Insert(0, ""x"", 1);
            s = Encoding.UTF8.GetString(b, 0, b.Length) + sb.ToString(0, 1) + sb.Length;
            byte[] utf8 = Encoding.UTF8.GetBytes(sb.ToString());
            Array.Copy(utf8, 0, b, 0, 1);
            Array.Clear(b, 0, b.Length);
            int at = Array.IndexOf(b, (byte)1) + Array.IndexOf(parts, ""x"", 1);
            s = Convert.ToBase64String(b) + Convert.ToInt32(""ff"", 16) + BitConverter.ToInt32(b, 0) + b.Length;
            var x = new string('x', 3) + new string(new char[] { 'a' });
            switch (n) { case 1: break; case 2: goto default; default: break; }
            a(f(1, 2));
            Done done = code => { };
            done(n > 0 ? n : -n);
            try { Thread.Sleep(1); } catch (Exception e) { Debug.WriteLine(e.Message); } finally { }
            if (Changed != null) Changed(this, EventArgs.Empty);
            foreach (object item in _items) { }
            var u = s ?? ""none"";
            return u + x + int.MaxValue + Kind.A + DateTime.UtcNow.Ticks + TimeSpan.FromSeconds(1).Ticks;
        }
    }
}
";
            var violations = SubsetChecker.CheckSource(source);
            foreach (var v in violations) _output.WriteLine(v.ToString());
            Assert.Empty(violations);
        }

        [Fact]
        public void ReportsPathLineAndColumn()
        {
            var violations = SubsetChecker.CheckSource("namespace N\n{\n    public record R(int A);\n}\n", "firmware/X.cs");
            Assert.Equal("firmware/X.cs(3,12): NFSUBSET: record 'R'", violations.Single().ToString());
        }

        [Fact]
        public void FirmwareAndCoreTestsStayInsideTheSubset()
        {
            string root = RepoRoot();
            var violations = SubsetChecker.CheckFolders(
                new[] { Path.Combine(root, "firmware"), Path.Combine(root, "tests", "NfOta.Core.Tests") }, root);
            int files = SubsetChecker.EnumerateSources(Path.Combine(root, "firmware")).Count()
                        + SubsetChecker.EnumerateSources(Path.Combine(root, "tests", "NfOta.Core.Tests")).Count();
            _output.WriteLine("checked " + files + " files");
            foreach (var v in violations) _output.WriteLine(v.ToString());
            Assert.True(files > 0, "no device sources found under " + root);
            Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
        }

        private static string RepoRoot() => NfOta.Pc.Device.RehearsalSettings.RepositoryRoot();
    }
}
