using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NfOta.SubsetCheck
{
    /// <summary>One place where device code leaves the nanoFramework subset.</summary>
    public sealed class Violation
    {
        public Violation(string path, int line, int column, string message)
        {
            Path = path;
            Line = line;
            Column = column;
            Message = message;
        }

        public string Path { get; }
        public int Line { get; }
        public int Column { get; }
        public string Message { get; }

        public override string ToString() => $"{Path}({Line},{Column}): NFSUBSET: {Message}";
    }

    /// <summary>
    /// Checks C# meant for .NET nanoFramework: the language as nanoFramework's build takes it (C# 9, no
    /// generics beyond the few delegates nF ships, no LINQ/async/tuples/records/patterns/interpolation...)
    /// and the base-library members the device actually has (see <see cref="NanoApi"/>). The files are
    /// bound against the .NET runtime only to learn which member a call means; anything that does not
    /// resolve (nanoFramework-only APIs) is left alone.
    /// </summary>
    public static class SubsetChecker
    {
        /// <summary>Namespaces a device file may import (prefix entries end with '.').</summary>
        public static readonly string[] AllowedNamespaces =
        {
            "System", "System.Collections", "System.Text", "System.Threading", "System.IO", "System.Net",
            "System.Net.Sockets", "System.Net.Http", "System.Security.Cryptography.X509Certificates",
            "System.Diagnostics", "System.Runtime.CompilerServices", "System.Runtime.InteropServices",
            "Windows.Storage", "nanoFramework", "nanoFramework.", "NfOta", "NfOta.", "System.Device.",
        };

        public static readonly CSharpParseOptions ParseOptions = new CSharpParseOptions(LanguageVersion.CSharp9);

        /// <summary>Checks every .cs file under the given folders (bin/ and obj/ skipped).</summary>
        public static List<Violation> CheckFolders(IEnumerable<string> folders, string displayBase = null)
        {
            var sources = new List<KeyValuePair<string, string>>();
            foreach (string folder in folders)
            {
                foreach (string file in EnumerateSources(folder))
                {
                    string shown = displayBase == null ? file : Path.GetRelativePath(displayBase, file);
                    sources.Add(new KeyValuePair<string, string>(shown.Replace('\\', '/'), File.ReadAllText(file)));
                }
            }
            return Check(sources);
        }

        public static IEnumerable<string> EnumerateSources(string folder)
        {
            var files = new List<string>();
            var pending = new Stack<string>();
            pending.Push(Path.GetFullPath(folder));
            while (pending.Count > 0)
            {
                string dir = pending.Pop();
                foreach (string sub in Directory.GetDirectories(dir))
                {
                    string name = Path.GetFileName(sub);
                    if (name == "bin" || name == "obj" || name.StartsWith(".", StringComparison.Ordinal)) continue;
                    pending.Push(sub);
                }
                files.AddRange(Directory.GetFiles(dir, "*.cs"));
            }
            files.Sort(StringComparer.Ordinal);
            return files;
        }

        /// <summary>Checks one snippet; the path only labels the violations.</summary>
        public static List<Violation> CheckSource(string source, string path = "snippet.cs")
        {
            return Check(new[] { new KeyValuePair<string, string>(path, source) });
        }

        /// <summary>Checks files given as (path, text); all are bound together, as one project.</summary>
        public static List<Violation> Check(IEnumerable<KeyValuePair<string, string>> sources)
        {
            var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Value, ParseOptions, s.Key)).ToList();
            var compilation = CSharpCompilation.Create(
                "NfSubsetCheck",
                trees,
                References.Value,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
            var violations = new List<Violation>();
            foreach (var tree in trees)
            {
                foreach (var d in tree.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error))
                {
                    Add(violations, tree.FilePath, d.Location, "not C# 9: " + d.GetMessage());
                }
                var model = compilation.GetSemanticModel(tree);
                // Newer syntax parses under C# 9 too; the binder then reports "not available in C# 9.0".
                foreach (var d in model.GetDiagnostics().Where(IsLanguageVersionError))
                {
                    Add(violations, tree.FilePath, d.Location, "not C# 9: " + d.GetMessage());
                }
                var walker = new Walker(compilation, model, violations);
                walker.Visit(tree.GetRoot());
            }
            return violations
                .GroupBy(v => v.ToString())
                .Select(g => g.First())
                .OrderBy(v => v.Path, StringComparer.Ordinal).ThenBy(v => v.Line).ThenBy(v => v.Column)
                .ToList();
        }

        private static bool IsLanguageVersionError(Diagnostic d)
        {
            return d.Severity == DiagnosticSeverity.Error &&
                   (LanguageVersionErrorIds.Contains(d.Id) || d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("language version"));
        }

        // "Feature '{0}' is not available in C# N. Please use language version M or greater." (one id per C# version)
        private static readonly HashSet<string> LanguageVersionErrorIds = new HashSet<string>
        {
            "CS8022", "CS8023", "CS8024", "CS8025", "CS8026", "CS8059", "CS8107", "CS8302", "CS8320", "CS8370",
            "CS8400", "CS8773", "CS8936", "CS9058", "CS9202",
        };

        // Enough of .NET to tell which member a call means; fewer references keep each check fast.
        private static readonly HashSet<string> BoundAssemblies = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "System.Private.CoreLib.dll", "System.Runtime.dll", "System.Collections.dll", "System.Linq.dll",
            "System.Console.dll", "System.Threading.dll", "System.Threading.Thread.dll", "System.Diagnostics.Debug.dll",
            "System.Text.Encoding.Extensions.dll", "System.Net.Primitives.dll", "System.Net.Sockets.dll", "System.Net.Http.dll",
        };

        private static readonly Lazy<List<MetadataReference>> References = new Lazy<List<MetadataReference>>(() =>
        {
            var list = new List<MetadataReference>();
            string tpa = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string;
            if (tpa != null)
            {
                foreach (string p in tpa.Split(Path.PathSeparator))
                {
                    string name = Path.GetFileName(p);
                    if (BoundAssemblies.Contains(name))
                    {
                        list.Add(MetadataReference.CreateFromFile(p));
                    }
                }
            }
            else
            {
                list.Add(MetadataReference.CreateFromFile(typeof(object).Assembly.Location));
            }
            return list;
        });

        private static void Add(List<Violation> list, string path, Location location, string message)
        {
            var span = location.GetLineSpan();
            list.Add(new Violation(path, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1, message));
        }

        private sealed class Walker : CSharpSyntaxWalker
        {
            private readonly Compilation _compilation;
            private readonly SemanticModel _model;
            private readonly List<Violation> _violations;

            public Walker(Compilation compilation, SemanticModel model, List<Violation> violations)
            {
                _compilation = compilation;
                _model = model;
                _violations = violations;
            }

            private void Flag(SyntaxNode node, string message)
            {
                Add(_violations, node.SyntaxTree.FilePath, node.GetLocation(), message);
            }

            private void Flag(SyntaxToken token, string message)
            {
                Add(_violations, token.SyntaxTree.FilePath, token.GetLocation(), message);
            }

            // ---- language ----

            public override void VisitGenericName(GenericNameSyntax node)
            {
                int n = node.TypeArgumentList.Arguments.Count;
                string name = node.Identifier.ValueText;
                // System/Action.cs has Action<T1,T2> at most and Func<T1,T2,TResult> at most;
                // System/EventHandler.cs has EventHandler<TEventArgs>.
                bool nanoDelegate = (name == "Action" && n <= 2) || (name == "Func" && n <= 3) || (name == "EventHandler" && n == 1);
                if (!nanoDelegate || !IsSystemDelegate(node))
                {
                    Flag(node, "generic type or method '" + node + "' (use ArrayList, Hashtable, arrays or object)");
                }
                base.VisitGenericName(node);
            }

            private bool IsSystemDelegate(GenericNameSyntax node)
            {
                var symbol = _model.GetSymbolInfo(node).Symbol as INamedTypeSymbol;
                return symbol == null || symbol.ContainingNamespace?.ToDisplayString() == "System";
            }

            public override void VisitTypeParameterList(TypeParameterListSyntax node)
            {
                Flag(node, "generic declaration '" + node.Parent switch
                {
                    BaseTypeDeclarationSyntax t => t.Identifier.ValueText,
                    MethodDeclarationSyntax m => m.Identifier.ValueText,
                    DelegateDeclarationSyntax d => d.Identifier.ValueText,
                    LocalFunctionStatementSyntax l => l.Identifier.ValueText,
                    _ => node.Parent?.Kind().ToString(),
                } + node + "'");
                base.VisitTypeParameterList(node);
            }

            public override void VisitQueryExpression(QueryExpressionSyntax node)
            {
                Flag(node, "LINQ query expression");
                base.VisitQueryExpression(node);
            }

            public override void VisitUsingDirective(UsingDirectiveSyntax node)
            {
                string ns = node.Name.ToString().Replace(" ", "");
                if (node.StaticKeyword.IsKind(SyntaxKind.StaticKeyword))
                {
                    Flag(node, "'using static " + ns + "'");
                }
                else if (!IsAllowedNamespace(ns))
                {
                    Flag(node, "namespace '" + ns + "' is not available on nanoFramework");
                }
                base.VisitUsingDirective(node);
            }

            public override void VisitMethodDeclaration(MethodDeclarationSyntax node)
            {
                CheckAsync(node.Modifiers);
                base.VisitMethodDeclaration(node);
            }

            public override void VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
            {
                CheckAsync(node.Modifiers);
                base.VisitLocalFunctionStatement(node);
            }

            public override void VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node)
            {
                if (node.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword)) Flag(node.AsyncKeyword, "async");
                base.VisitParenthesizedLambdaExpression(node);
            }

            public override void VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node)
            {
                if (node.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword)) Flag(node.AsyncKeyword, "async");
                base.VisitSimpleLambdaExpression(node);
            }

            public override void VisitAnonymousMethodExpression(AnonymousMethodExpressionSyntax node)
            {
                if (node.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword)) Flag(node.AsyncKeyword, "async");
                base.VisitAnonymousMethodExpression(node);
            }

            private void CheckAsync(SyntaxTokenList modifiers)
            {
                foreach (var m in modifiers)
                {
                    if (m.IsKind(SyntaxKind.AsyncKeyword)) Flag(m, "async");
                    if (m.IsKind(SyntaxKind.UnsafeKeyword)) Flag(m, "unsafe code");
                }
            }

            public override void VisitClassDeclaration(ClassDeclarationSyntax node)
            {
                CheckAsync(node.Modifiers);
                base.VisitClassDeclaration(node);
            }

            public override void VisitStructDeclaration(StructDeclarationSyntax node)
            {
                CheckAsync(node.Modifiers);
                base.VisitStructDeclaration(node);
            }

            public override void VisitAwaitExpression(AwaitExpressionSyntax node)
            {
                Flag(node, "await");
                base.VisitAwaitExpression(node);
            }

            public override void VisitForEachStatement(ForEachStatementSyntax node)
            {
                if (node.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword)) Flag(node.AwaitKeyword, "await foreach");
                base.VisitForEachStatement(node);
            }

            public override void VisitYieldStatement(YieldStatementSyntax node)
            {
                // An iterator's generated class implements IEnumerator<object>, which nanoFramework lacks.
                Flag(node, "iterator ('yield'): the compiler generates IEnumerable<object>");
                base.VisitYieldStatement(node);
            }

            public override void VisitNullableType(NullableTypeSyntax node)
            {
                Flag(node, "nullable type '" + node + "'");
                base.VisitNullableType(node);
            }

            public override void VisitTupleType(TupleTypeSyntax node)
            {
                Flag(node, "tuple type '" + node + "'");
                base.VisitTupleType(node);
            }

            public override void VisitTupleExpression(TupleExpressionSyntax node)
            {
                Flag(node, "tuple '" + node + "'");
                base.VisitTupleExpression(node);
            }

            public override void VisitParenthesizedVariableDesignation(ParenthesizedVariableDesignationSyntax node)
            {
                Flag(node, "deconstruction '" + node + "'");
                base.VisitParenthesizedVariableDesignation(node);
            }

            public override void VisitRecordDeclaration(RecordDeclarationSyntax node)
            {
                Flag(node.Keyword, "record '" + node.Identifier.ValueText + "'");
                base.VisitRecordDeclaration(node);
            }

            public override void VisitWithExpression(WithExpressionSyntax node)
            {
                Flag(node, "'with' expression");
                base.VisitWithExpression(node);
            }

            public override void VisitCatchFilterClause(CatchFilterClauseSyntax node)
            {
                Flag(node, "exception filter 'catch ... when'");
                base.VisitCatchFilterClause(node);
            }

            public override void VisitInterpolatedStringExpression(InterpolatedStringExpressionSyntax node)
            {
                Flag(node, "string interpolation (use string.Concat or +)");
                base.VisitInterpolatedStringExpression(node);
            }

            public override void VisitSwitchExpression(SwitchExpressionSyntax node)
            {
                Flag(node, "switch expression");
                base.VisitSwitchExpression(node);
            }

            public override void VisitIsPatternExpression(IsPatternExpressionSyntax node)
            {
                Flag(node, "'is' pattern '" + node.Pattern + "' (only 'x is Type'; use == null, as, or a cast)");
                base.VisitIsPatternExpression(node);
            }

            public override void VisitCasePatternSwitchLabel(CasePatternSwitchLabelSyntax node)
            {
                Flag(node, "pattern in switch case '" + node.Pattern + "'");
                base.VisitCasePatternSwitchLabel(node);
            }

            public override void VisitStackAllocArrayCreationExpression(StackAllocArrayCreationExpressionSyntax node)
            {
                Flag(node, "stackalloc");
                base.VisitStackAllocArrayCreationExpression(node);
            }

            public override void VisitImplicitStackAllocArrayCreationExpression(ImplicitStackAllocArrayCreationExpressionSyntax node)
            {
                Flag(node, "stackalloc");
                base.VisitImplicitStackAllocArrayCreationExpression(node);
            }

            public override void VisitRangeExpression(RangeExpressionSyntax node)
            {
                Flag(node, "range '..' (System.Range is not on nanoFramework)");
                base.VisitRangeExpression(node);
            }

            public override void VisitPrefixUnaryExpression(PrefixUnaryExpressionSyntax node)
            {
                if (node.IsKind(SyntaxKind.IndexExpression)) Flag(node, "index from end '^' (System.Index is not on nanoFramework)");
                base.VisitPrefixUnaryExpression(node);
            }

            public override void VisitUnsafeStatement(UnsafeStatementSyntax node)
            {
                Flag(node.UnsafeKeyword, "unsafe code");
                base.VisitUnsafeStatement(node);
            }

            public override void VisitFixedStatement(FixedStatementSyntax node)
            {
                Flag(node.FixedKeyword, "fixed (unsafe code)");
                base.VisitFixedStatement(node);
            }

            public override void VisitPointerType(PointerTypeSyntax node)
            {
                Flag(node, "pointer type '" + node + "'");
                base.VisitPointerType(node);
            }

            public override void VisitFunctionPointerType(FunctionPointerTypeSyntax node)
            {
                Flag(node, "function pointer");
                base.VisitFunctionPointerType(node);
            }

            // ---- names: dynamic, Math, Task, types outside nanoFramework ----

            public override void VisitIdentifierName(IdentifierNameSyntax node)
            {
                if (node.Identifier.ValueText == "dynamic" && !(node.Parent is MemberAccessExpressionSyntax ma && ma.Name == node))
                {
                    var type = _model.GetTypeInfo(node).Type;
                    if (type != null && type.TypeKind == TypeKind.Dynamic) Flag(node, "dynamic");
                }
                CheckTypeReference(node);
                base.VisitIdentifierName(node);
            }

            private void CheckTypeReference(SimpleNameSyntax node)
            {
                // Only the outermost name of a qualified name / member access, once.
                if (node.Parent is QualifiedNameSyntax q && q.Left == node) return;
                var symbol = _model.GetSymbolInfo(node).Symbol as INamedTypeSymbol;
                if (symbol == null || symbol.TypeKind == TypeKind.Error) return;
                string ns = symbol.ContainingNamespace?.ToDisplayString() ?? "";
                string name = symbol.Name;
                if (ns == "System" && (name == "Math" || name == "MathF"))
                {
                    Flag(node, "System.Math (not in nanoFramework.CoreLibrary; write the arithmetic out)");
                }
                else if (ns == "System.Threading.Tasks")
                {
                    Flag(node, "Task / async (System.Threading.Tasks is not on nanoFramework)");
                }
                else if (ns == "System.Linq" || ns.StartsWith("System.Linq.", StringComparison.Ordinal))
                {
                    Flag(node, "LINQ (" + symbol.ToDisplayString() + ")");
                }
                else if (ns == "System" && !NanoApi.SystemTypes.Contains(name) && symbol.ContainingType == null)
                {
                    Flag(node, "type 'System." + name + "' is not in nanoFramework.CoreLibrary");
                }
                else if (ns == "System.Collections" && !NanoApi.CollectionsTypes.Contains(name) && symbol.ContainingType == null)
                {
                    Flag(node, "type 'System.Collections." + name + "' is not on nanoFramework");
                }
                else if (ns == "System.Collections.Generic")
                {
                    Flag(node, "generic collection '" + name + "'");
                }
            }

            // ---- members the device lacks ----

            public override void VisitInvocationExpression(InvocationExpressionSyntax node)
            {
                var info = _model.GetSymbolInfo(node);
                var method = info.Symbol as IMethodSymbol;
                if (method != null)
                {
                    // .NET binds Array.IndexOf(bytes, x) to IndexOf<T>; nanoFramework's IndexOf(Array, object) takes the
                    // same call, so for tabled types the table decides. Explicit type arguments are flagged as generic names.
                    bool tabled = method.ContainingType != null && NanoApi.Members.ContainsKey(method.ContainingType.ToDisplayString());
                    if (method.IsGenericMethod && method.TypeArguments.Length > 0 && !tabled)
                    {
                        var original = method.ReducedFrom ?? method;
                        Flag(node.Expression, "call to generic method '" + original.ContainingType?.Name + "." + method.Name + "'");
                    }
                    if (method.IsExtensionMethod && method.ReducedFrom != null)
                    {
                        string ns = method.ContainingNamespace?.ToDisplayString() ?? "";
                        if (ns.StartsWith("System.Linq", StringComparison.Ordinal)) Flag(node.Expression, "LINQ method '" + method.Name + "'");
                    }
                    CheckMember(node.Expression, method, node.ArgumentList.Arguments);
                }
                base.VisitInvocationExpression(node);
            }

            public override void VisitObjectCreationExpression(ObjectCreationExpressionSyntax node)
            {
                var ctor = _model.GetSymbolInfo(node).Symbol as IMethodSymbol;
                if (ctor != null && node.ArgumentList != null) CheckMember(node, ctor, node.ArgumentList.Arguments);
                base.VisitObjectCreationExpression(node);
            }

            public override void VisitImplicitObjectCreationExpression(ImplicitObjectCreationExpressionSyntax node)
            {
                var ctor = _model.GetSymbolInfo(node).Symbol as IMethodSymbol;
                if (ctor != null) CheckMember(node, ctor, node.ArgumentList.Arguments);
                base.VisitImplicitObjectCreationExpression(node);
            }

            public override void VisitMemberAccessExpression(MemberAccessExpressionSyntax node)
            {
                // Properties, fields, constants and method groups; invoked methods are checked with their arguments.
                if (!(node.Parent is InvocationExpressionSyntax inv && inv.Expression == node))
                {
                    var symbol = _model.GetSymbolInfo(node).Symbol;
                    if (symbol != null && !(symbol is ITypeSymbol) && !(symbol is INamespaceSymbol))
                    {
                        CheckMember(node.Name, symbol, null);
                    }
                }
                base.VisitMemberAccessExpression(node);
            }

            public override void VisitElementAccessExpression(ElementAccessExpressionSyntax node)
            {
                var symbol = _model.GetSymbolInfo(node).Symbol as IPropertySymbol;
                if (symbol != null && symbol.IsIndexer && symbol.ContainingType?.SpecialType == SpecialType.System_String)
                {
                    // string's indexer is "Chars" on both sides; nothing to check.
                }
                base.VisitElementAccessExpression(node);
            }

            private void CheckMember(SyntaxNode at, ISymbol symbol, SeparatedSyntaxList<ArgumentSyntax>? arguments)
            {
                var type = symbol.ContainingType;
                if (type == null) return;
                string typeName = (type.OriginalDefinition ?? type).ToDisplayString();
                if (type.SpecialType != SpecialType.None) typeName = SpecialTypeName(type) ?? typeName;
                string[] members;
                if (!NanoApi.Members.TryGetValue(typeName, out members)) return;
                string name = symbol is IMethodSymbol m && m.MethodKind == MethodKind.Constructor ? ".ctor" : symbol.Name;
                if (symbol is IPropertySymbol p && p.IsIndexer) return;
                if (NanoApi.ObjectMembers.Contains(name)) return;
                string shortType = typeName.Substring(typeName.LastIndexOf('.') + 1);
                string shown = name == ".ctor" ? "new " + shortType + "(...)" : shortType + "." + name;

                var overloads = members.Where(e => e == name || e.StartsWith(name + "(", StringComparison.Ordinal)).ToList();
                if (overloads.Count == 0)
                {
                    Flag(at, "'" + shown + "' does not exist on nanoFramework");
                    return;
                }
                if (arguments == null || !(symbol is IMethodSymbol)) return;
                var args = arguments.Value;
                foreach (string entry in overloads)
                {
                    if (Accepts(entry, args)) return;
                }
                Flag(at, "no nanoFramework overload of '" + shown + "' takes (" +
                         string.Join(", ", args.Select(a => _model.GetTypeInfo(a.Expression).Type?.ToDisplayString() ?? "?")) + ")");
            }

            private static string SpecialTypeName(ITypeSymbol t)
            {
                switch (t.SpecialType)
                {
                    case SpecialType.System_String: return "System.String";
                    case SpecialType.System_Array: return "System.Array";
                    case SpecialType.System_Char: return "System.Char";
                    case SpecialType.System_Boolean: return "System.Boolean";
                    case SpecialType.System_Enum: return "System.Enum";
                    case SpecialType.System_Int32: return "System.Int32";
                    case SpecialType.System_Int64: return "System.Int64";
                    case SpecialType.System_Byte: return "System.Byte";
                    case SpecialType.System_UInt32: return "System.UInt32";
                    case SpecialType.System_Double: return "System.Double";
                    default: return null;
                }
            }

            /// <summary>Whether the call's arguments fit the listed nanoFramework signature.</summary>
            private bool Accepts(string entry, SeparatedSyntaxList<ArgumentSyntax> args)
            {
                int open = entry.IndexOf('(');
                if (open < 0) return false;
                string inner = entry.Substring(open + 1, entry.Length - open - 2).Trim();
                var parameters = inner.Length == 0 ? new string[0] : inner.Split(',').Select(s => s.Trim()).ToArray();
                bool hasParams = parameters.Length > 0 && parameters[parameters.Length - 1].StartsWith("params ", StringComparison.Ordinal);
                int required = parameters.Count(x => !x.EndsWith("=", StringComparison.Ordinal) && !x.StartsWith("params ", StringComparison.Ordinal));
                if (args.Count < required) return false;
                if (!hasParams && args.Count > parameters.Length) return false;
                for (int i = 0; i < args.Count; i++)
                {
                    var arg = args[i];
                    if (arg.NameColon != null) return false;
                    string p = i < parameters.Length ? parameters[i] : parameters[parameters.Length - 1];
                    bool isOut = p.StartsWith("out ", StringComparison.Ordinal);
                    bool isParams = p.StartsWith("params ", StringComparison.Ordinal);
                    string typeText = p.Replace("params ", "").Replace("out ", "").TrimEnd('=').Trim();
                    var paramType = ResolveType(typeText);
                    if (paramType == null) return false;
                    if (isOut != arg.RefKindKeyword.IsKind(SyntaxKind.OutKeyword)) return false;
                    var argType = _model.GetTypeInfo(arg.Expression).Type;
                    if (isParams)
                    {
                        var element = ((IArrayTypeSymbol)paramType).ElementType;
                        bool asArray = args.Count == parameters.Length && Fits(arg.Expression, argType, paramType);
                        if (!asArray && !Fits(arg.Expression, argType, element)) return false;
                    }
                    else if (isOut)
                    {
                        if (argType != null && !SymbolEqualityComparer.Default.Equals(argType, paramType)) return false;
                    }
                    else if (!Fits(arg.Expression, argType, paramType))
                    {
                        return false;
                    }
                }
                return true;
            }

            private bool Fits(ExpressionSyntax expression, ITypeSymbol argType, ITypeSymbol paramType)
            {
                if (argType == null)
                {
                    // null literal, lambda, default: fits any reference type.
                    return !paramType.IsValueType;
                }
                var conversion = _model.ClassifyConversion(expression, paramType);
                return conversion.Exists && conversion.IsImplicit;
            }

            private ITypeSymbol ResolveType(string text)
            {
                if (text.EndsWith("[]", StringComparison.Ordinal))
                {
                    var element = ResolveType(text.Substring(0, text.Length - 2));
                    return element == null ? null : _compilation.CreateArrayTypeSymbol(element);
                }
                switch (text)
                {
                    case "string": return _compilation.GetSpecialType(SpecialType.System_String);
                    case "object": return _compilation.GetSpecialType(SpecialType.System_Object);
                    case "char": return _compilation.GetSpecialType(SpecialType.System_Char);
                    case "bool": return _compilation.GetSpecialType(SpecialType.System_Boolean);
                    case "byte": return _compilation.GetSpecialType(SpecialType.System_Byte);
                    case "sbyte": return _compilation.GetSpecialType(SpecialType.System_SByte);
                    case "short": return _compilation.GetSpecialType(SpecialType.System_Int16);
                    case "ushort": return _compilation.GetSpecialType(SpecialType.System_UInt16);
                    case "int": return _compilation.GetSpecialType(SpecialType.System_Int32);
                    case "uint": return _compilation.GetSpecialType(SpecialType.System_UInt32);
                    case "long": return _compilation.GetSpecialType(SpecialType.System_Int64);
                    case "ulong": return _compilation.GetSpecialType(SpecialType.System_UInt64);
                    case "float": return _compilation.GetSpecialType(SpecialType.System_Single);
                    case "double": return _compilation.GetSpecialType(SpecialType.System_Double);
                    case "Array": return _compilation.GetSpecialType(SpecialType.System_Array);
                    case "Enum": return _compilation.GetSpecialType(SpecialType.System_Enum);
                    case "Type": return _compilation.GetTypeByMetadataName("System.Type");
                    case "IComparer": return _compilation.GetTypeByMetadataName("System.Collections.IComparer");
                    case "Base64FormattingOptions": return _compilation.GetTypeByMetadataName("System.Base64FormattingOptions");
                    default: return null;
                }
            }
        }

        public static bool IsAllowedNamespace(string ns)
        {
            foreach (string allowed in AllowedNamespaces)
            {
                if (allowed.EndsWith(".", StringComparison.Ordinal) ? ns.StartsWith(allowed, StringComparison.Ordinal) : ns == allowed) return true;
            }
            return false;
        }
    }
}
