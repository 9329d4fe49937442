using System.Text;

namespace NfOta.Protocols
{
    /// <summary>
    /// A chunk request whose only changing parts are two integers, such as <c>{"block":3,"size":4096}</c>:
    /// the fixed text is encoded once per offer and each request allocates only its payload array.
    /// </summary>
    internal sealed class ChunkRequestPayload
    {
        private readonly byte[] _head;
        private readonly byte[] _middle;
        private readonly byte[] _tail;

        /// <param name="head">Text before the first number, e.g. <c>{"block":</c>.</param>
        /// <param name="middle">Text between the numbers, e.g. <c>,"size":</c>.</param>
        /// <param name="tail">Text after the second number, e.g. <c>}</c>.</param>
        public ChunkRequestPayload(string head, string middle, string tail)
        {
            _head = Encoding.UTF8.GetBytes(head);
            _middle = Encoding.UTF8.GetBytes(middle);
            _tail = Encoding.UTF8.GetBytes(tail);
        }

        /// <summary>head + first + middle + second + tail, both numbers non-negative.</summary>
        public byte[] Compose(int first, int second)
        {
            byte[] b = new byte[_head.Length + Digits(first) + _middle.Length + Digits(second) + _tail.Length];
            int p = Copy(_head, b, 0);
            p = WriteNumber(first, b, p);
            p = Copy(_middle, b, p);
            p = WriteNumber(second, b, p);
            Copy(_tail, b, p);
            return b;
        }

        private static int Copy(byte[] src, byte[] dst, int p)
        {
            for (int i = 0; i < src.Length; i++) dst[p + i] = src[i];
            return p + src.Length;
        }

        private static int Digits(int v)
        {
            int n = 1;
            while (v >= 10)
            {
                v /= 10;
                n++;
            }
            return n;
        }

        private static int WriteNumber(int v, byte[] b, int p)
        {
            int end = p + Digits(v);
            int i = end;
            do
            {
                b[--i] = (byte)('0' + v % 10);
                v /= 10;
            }
            while (v > 0);
            return end;
        }
    }
}
