// The nanoFramework.TestFramework API (attributes, Assert, OutputHelper) implemented for .NET, so that
// the core tests written for the nanoFramework test runner compile and run unchanged under `dotnet test`.
// The signatures mirror nanoFramework.TestFramework's public surface; the bodies are our own.
using System;
using System.Collections;
using System.Runtime.CompilerServices;

namespace nanoFramework.TestFramework
{
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
    public class TestClassAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class TestMethodAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class SetupAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class CleanupAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
    public class DataRowAttribute : Attribute
    {
        public DataRowAttribute(params object[] methodParameters) { MethodParameters = methodParameters; }
        public object[] MethodParameters { get; }
    }

    public class AssertFailedException : Exception
    {
        public AssertFailedException() { }
        public AssertFailedException(string msg) : base(msg) { }
        public AssertFailedException(string msg, Exception ex) : base(msg, ex) { }
    }

    public class SkipTestException : Exception
    {
        public SkipTestException(string message = null, Exception innerException = null) : base(message, innerException) { }
    }

    public static class OutputHelper
    {
        public static void Write(string message) => TestOutput.Write(message);
        public static void WriteLine(string message) => TestOutput.Write(message + Environment.NewLine);
    }

    public sealed class Assert
    {
        private Assert() { }

        public static void AreEqual(bool expected, bool actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (!Equals(expected, actual)) Fail("AreEqual", "expected <" + Show(expected) + "> but was <" + Show(actual) + ">", message);
        }
        public static void AreNotEqual(bool notExpected, bool actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (Equals(notExpected, actual)) Fail("AreNotEqual", "did not expect <" + Show(actual) + ">", message);
        }
        public static void AreEqual(byte expected, byte actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (!Equals(expected, actual)) Fail("AreEqual", "expected <" + Show(expected) + "> but was <" + Show(actual) + ">", message);
        }
        public static void AreNotEqual(byte notExpected, byte actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (Equals(notExpected, actual)) Fail("AreNotEqual", "did not expect <" + Show(actual) + ">", message);
        }
        public static void AreEqual(char expected, char actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (!Equals(expected, actual)) Fail("AreEqual", "expected <" + Show(expected) + "> but was <" + Show(actual) + ">", message);
        }
        public static void AreNotEqual(char notExpected, char actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (Equals(notExpected, actual)) Fail("AreNotEqual", "did not expect <" + Show(actual) + ">", message);
        }
        public static void AreEqual(DateTime expected, DateTime actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (!Equals(expected, actual)) Fail("AreEqual", "expected <" + Show(expected) + "> but was <" + Show(actual) + ">", message);
        }
        public static void AreNotEqual(DateTime notExpected, DateTime actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (Equals(notExpected, actual)) Fail("AreNotEqual", "did not expect <" + Show(actual) + ">", message);
        }
        public static void AreEqual(double expected, double actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (!Equals(expected, actual)) Fail("AreEqual", "expected <" + Show(expected) + "> but was <" + Show(actual) + ">", message);
        }
        public static void AreNotEqual(double notExpected, double actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (Equals(notExpected, actual)) Fail("AreNotEqual", "did not expect <" + Show(actual) + ">", message);
        }
        public static void AreEqual(float expected, float actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (!Equals(expected, actual)) Fail("AreEqual", "expected <" + Show(expected) + "> but was <" + Show(actual) + ">", message);
        }
        public static void AreNotEqual(float notExpected, float actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (Equals(notExpected, actual)) Fail("AreNotEqual", "did not expect <" + Show(actual) + ">", message);
        }
        public static void AreEqual(int expected, int actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (!Equals(expected, actual)) Fail("AreEqual", "expected <" + Show(expected) + "> but was <" + Show(actual) + ">", message);
        }
        public static void AreNotEqual(int notExpected, int actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (Equals(notExpected, actual)) Fail("AreNotEqual", "did not expect <" + Show(actual) + ">", message);
        }
        public static void AreEqual(long expected, long actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (!Equals(expected, actual)) Fail("AreEqual", "expected <" + Show(expected) + "> but was <" + Show(actual) + ">", message);
        }
        public static void AreNotEqual(long notExpected, long actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (Equals(notExpected, actual)) Fail("AreNotEqual", "did not expect <" + Show(actual) + ">", message);
        }
        public static void AreEqual(object expected, object actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (!Equals(expected, actual)) Fail("AreEqual", "expected <" + Show(expected) + "> but was <" + Show(actual) + ">", message);
        }
        public static void AreNotEqual(object notExpected, object actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (Equals(notExpected, actual)) Fail("AreNotEqual", "did not expect <" + Show(actual) + ">", message);
        }
        public static void AreEqual(sbyte expected, sbyte actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (!Equals(expected, actual)) Fail("AreEqual", "expected <" + Show(expected) + "> but was <" + Show(actual) + ">", message);
        }
        public static void AreNotEqual(sbyte notExpected, sbyte actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (Equals(notExpected, actual)) Fail("AreNotEqual", "did not expect <" + Show(actual) + ">", message);
        }
        public static void AreEqual(short expected, short actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (!Equals(expected, actual)) Fail("AreEqual", "expected <" + Show(expected) + "> but was <" + Show(actual) + ">", message);
        }
        public static void AreNotEqual(short notExpected, short actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (Equals(notExpected, actual)) Fail("AreNotEqual", "did not expect <" + Show(actual) + ">", message);
        }
        public static void AreEqual(string expected, string actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (!Equals(expected, actual)) Fail("AreEqual", "expected <" + Show(expected) + "> but was <" + Show(actual) + ">", message);
        }
        public static void AreNotEqual(string notExpected, string actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (Equals(notExpected, actual)) Fail("AreNotEqual", "did not expect <" + Show(actual) + ">", message);
        }
        public static void AreEqual(uint expected, uint actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (!Equals(expected, actual)) Fail("AreEqual", "expected <" + Show(expected) + "> but was <" + Show(actual) + ">", message);
        }
        public static void AreNotEqual(uint notExpected, uint actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (Equals(notExpected, actual)) Fail("AreNotEqual", "did not expect <" + Show(actual) + ">", message);
        }
        public static void AreEqual(ulong expected, ulong actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (!Equals(expected, actual)) Fail("AreEqual", "expected <" + Show(expected) + "> but was <" + Show(actual) + ">", message);
        }
        public static void AreNotEqual(ulong notExpected, ulong actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (Equals(notExpected, actual)) Fail("AreNotEqual", "did not expect <" + Show(actual) + ">", message);
        }
        public static void AreEqual(ushort expected, ushort actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (!Equals(expected, actual)) Fail("AreEqual", "expected <" + Show(expected) + "> but was <" + Show(actual) + ">", message);
        }
        public static void AreNotEqual(ushort notExpected, ushort actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (Equals(notExpected, actual)) Fail("AreNotEqual", "did not expect <" + Show(actual) + ">", message);
        }

        public static void IsTrue(bool condition, [CallerArgumentExpression("condition")] string message = "")
        {
            if (!condition) Fail("IsTrue", "condition is false", message);
        }

        public static void IsFalse(bool condition, [CallerArgumentExpression("condition")] string message = "")
        {
            if (condition) Fail("IsFalse", "condition is true", message);
        }

        public static void IsNull(object value, [CallerArgumentExpression("value")] string message = "")
        {
            if (value != null) Fail("IsNull", "value is <" + Show(value) + ">", message);
        }

        public static void IsNotNull(object value, [CallerArgumentExpression("value")] string message = "")
        {
            if (value == null) Fail("IsNotNull", "value is null", message);
        }

        public static void AreSame(object expected, object actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (!ReferenceEquals(expected, actual)) Fail("AreSame", "references differ", message);
        }

        public static void AreNotSame(object notExpected, object actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (ReferenceEquals(notExpected, actual)) Fail("AreNotSame", "references are the same", message);
        }

        public static void Contains(string expected, string value, [CallerArgumentExpression("value")] string message = "")
        {
            if (value == null || expected == null || value.IndexOf(expected, StringComparison.Ordinal) < 0)
                Fail("Contains", "<" + Show(value) + "> does not contain <" + Show(expected) + ">", message);
        }

        public static void DoesNotContains(string notExpected, string value, [CallerArgumentExpression("value")] string message = "")
        {
            if (value != null && notExpected != null && value.IndexOf(notExpected, StringComparison.Ordinal) >= 0)
                Fail("DoesNotContains", "<" + Show(value) + "> contains <" + Show(notExpected) + ">", message);
        }

        public static void StartsWith(string expected, string value, [CallerArgumentExpression("value")] string message = "")
        {
            if (value == null || expected == null || !value.StartsWith(expected, StringComparison.Ordinal))
                Fail("StartsWith", "<" + Show(value) + "> does not start with <" + Show(expected) + ">", message);
        }

        public static void EndsWith(string expected, string value, [CallerArgumentExpression("value")] string message = "")
        {
            if (value == null || expected == null || !value.EndsWith(expected, StringComparison.Ordinal))
                Fail("EndsWith", "<" + Show(value) + "> does not end with <" + Show(expected) + ">", message);
        }

        public static void IsInstanceOfType(object value, Type expected, [CallerArgumentExpression("value")] string message = "")
        {
            if (value == null || !expected.IsInstanceOfType(value)) Fail("IsInstanceOfType", "value is not a " + expected.Name, message);
        }

        public static void IsNotInstanceOfType(object value, Type notExpected, [CallerArgumentExpression("value")] string message = "")
        {
            if (value != null && notExpected.IsInstanceOfType(value)) Fail("IsNotInstanceOfType", "value is a " + notExpected.Name, message);
        }

        public static void ThrowsException(Type exception, Action action, [CallerArgumentExpression("action")] string message = "")
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                if (e.GetType() != exception) Fail("ThrowsException", "threw " + e.GetType().Name + " instead of " + exception.Name, message);
                return;
            }
            Fail("ThrowsException", "no exception thrown, expected " + exception.Name, message);
        }

        public static void SkipTest(string message = null)
        {
            throw new SkipTestException(message);
        }

        private static string Show(object o) => o == null ? "(null)" : o.ToString();

        private static void Fail(string assertion, string what, string message)
        {
            throw new AssertFailedException("Assert." + assertion + " failed: " + what + (string.IsNullOrEmpty(message) ? "" : " [" + message + "]"));
        }
    }

    public sealed class CollectionAssert
    {
        private CollectionAssert() { }

        public static void Empty(ICollection collection, string message = "")
        {
            if (collection == null || collection.Count != 0) throw new AssertFailedException("CollectionAssert.Empty failed. " + message);
        }

        public static void NotEmpty(ICollection collection, string message = "")
        {
            if (collection == null || collection.Count == 0) throw new AssertFailedException("CollectionAssert.NotEmpty failed. " + message);
        }
    }
}
