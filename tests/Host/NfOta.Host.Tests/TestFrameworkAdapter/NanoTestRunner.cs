using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Xunit;
using Xunit.Abstractions;

namespace nanoFramework.TestFramework
{
    /// <summary>
    /// Runs every [TestMethod] (and every [DataRow] of one) of every [TestClass] in this assembly as one
    /// xunit case, so `dotnet test` lists and reports the nanoFramework tests individually. Per case: a
    /// new instance, its [Setup] method, the test, its [Cleanup] method. A SkipTestException counts as
    /// passed and is written to the case's output, as the nanoFramework runner reports it.
    /// </summary>
    public class NanoTestRunner
    {
        private readonly ITestOutputHelper _output;

        public NanoTestRunner(ITestOutputHelper output)
        {
            _output = output;
        }

        public static IEnumerable<object[]> Cases()
        {
            foreach (var type in typeof(NanoTestRunner).Assembly.GetTypes()
                         .Where(t => t.GetCustomAttribute<TestClassAttribute>() != null)
                         .OrderBy(t => t.FullName, StringComparer.Ordinal))
            {
                foreach (var m in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                             .OrderBy(m => m.MetadataToken))
                {
                    var rows = m.GetCustomAttributes<DataRowAttribute>().ToArray();
                    if (rows.Length > 0)
                    {
                        for (int i = 0; i < rows.Length; i++) yield return new object[] { type.Name + "." + m.Name + "#" + i };
                    }
                    else if (m.GetCustomAttribute<TestMethodAttribute>() != null)
                    {
                        yield return new object[] { type.Name + "." + m.Name };
                    }
                }
            }
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void Nano(string test)
        {
            string name = test;
            int row = -1;
            int hash = test.IndexOf('#');
            if (hash >= 0)
            {
                name = test.Substring(0, hash);
                row = int.Parse(test.Substring(hash + 1));
            }
            int dot = name.LastIndexOf('.');
            string typeName = name.Substring(0, dot);
            string methodName = name.Substring(dot + 1);
            var type = typeof(NanoTestRunner).Assembly.GetTypes().Single(t => t.Name == typeName && t.GetCustomAttribute<TestClassAttribute>() != null);
            var method = type.GetMethod(methodName, BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly);
            object instance = type.IsAbstract && type.IsSealed ? null : Activator.CreateInstance(type);
            MethodInfo setup = Find<SetupAttribute>(type);
            MethodInfo cleanup = Find<CleanupAttribute>(type);

            TestOutput.Attach(_output);
            try
            {
                setup?.Invoke(setup.IsStatic ? null : instance, null);
                try
                {
                    object[] args = row >= 0 ? method.GetCustomAttributes<DataRowAttribute>().ElementAt(row).MethodParameters : null;
                    method.Invoke(method.IsStatic ? null : instance, args);
                }
                finally
                {
                    cleanup?.Invoke(cleanup.IsStatic ? null : instance, null);
                }
            }
            catch (TargetInvocationException e) when (e.InnerException is SkipTestException)
            {
                _output.WriteLine("skipped: " + e.InnerException.Message);
            }
            catch (TargetInvocationException e)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            }
            finally
            {
                TestOutput.Flush(true);
            }
        }

        private static MethodInfo Find<T>(Type type) where T : Attribute
        {
            return type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .FirstOrDefault(m => m.GetCustomAttribute<T>() != null);
        }
    }
}
