// nf-ota: the CA certificate from the settings, as nanoFramework's X509Certificate.
//
// Verified against:
// - nanoframework/System.Net nanoFramework.System.Net/X509Certificates/X509Certificate.cs:
//   namespace System.Security.Cryptography.X509Certificates; public X509Certificate(string certificate)
//   takes PEM (or DER) text and keeps the terminator mbedTLS needs.
// - nanoframework/System.IO.FileSystem System.IO.FileSystem/File.cs: public static bool Exists(string path),
//   public static string ReadAllText(string path).

using System;
using System.IO;
using System.Security.Cryptography.X509Certificates;

namespace NfOta.Device.Bindings
{
    /// <summary>
    /// Turns the settings' <c>brokerCaCertificate</c> (PEM text, or the path of a PEM file on the board)
    /// into an <see cref="X509Certificate"/>. Null or empty means: trust the CA certificates stored on the
    /// device (nanoff --networkdeployment "CACertificatesPath"), which nanoCLR's TLS always loads.
    /// </summary>
    public static class CaCertificate
    {
        public static X509Certificate Load(string pemOrPath, out string error)
        {
            error = null;

            if (pemOrPath == null || pemOrPath.Length == 0)
            {
                return null;
            }

            string pem = pemOrPath;

            try
            {
                if (pemOrPath.IndexOf("-----BEGIN") < 0)
                {
                    if (!File.Exists(pemOrPath))
                    {
                        error = "CA certificate file not found: " + pemOrPath;
                        return null;
                    }

                    pem = File.ReadAllText(pemOrPath);
                }

                return new X509Certificate(pem);
            }
            catch (Exception ex)
            {
                error = "CA certificate unreadable: " + ex.Message;
                return null;
            }
        }
    }
}
