using System.Net;
using System.Net.Sockets;

namespace NfOta.Pc.Net
{
    /// <summary>Picks a loopback TCP port nobody listens on, by letting the OS choose one.</summary>
    public static class FreePort
    {
        public static int Pick()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                return ((IPEndPoint)listener.LocalEndpoint).Port;
            }
            finally
            {
                listener.Stop();
            }
        }

        /// <summary>True when something accepts TCP connections on host:port right now.</summary>
        public static bool Accepts(string host, int port, int timeoutMs = 200)
        {
            try
            {
                using var client = new TcpClient();
                return client.ConnectAsync(host, port).Wait(timeoutMs) && client.Connected;
            }
            catch (System.Exception)
            {
                return false;
            }
        }
    }
}
