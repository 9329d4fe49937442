//
// nf-ota: declarations of the NfOta.Esp32Ota.OtaNative stubs, in the shape nanoFramework's metadata
// processor generates them (compare nanoframework/Samples samples/Interop/awesome-library/Stubs/
// NF.AwesomeLib/NF_AwesomeLib_NF_AwesomeLib_Math.h: one struct per class, one static function per
// InternalCall method, int -> signed int, byte[] -> CLR_RT_TypedArray_UINT8, trailing HRESULT &hr).
// When you build NfOta.Esp32Ota.nfproj the generator writes this file again into Stubs/; the two must
// match. If they do not, the C# declarations changed: update NfOta_Esp32Ota_NfOta_Esp32Ota_OtaNative.cpp.
//

#ifndef NFOTA_ESP32OTA_NFOTA_ESP32OTA_NFOTA_ESP32OTA_OTANATIVE_H
#define NFOTA_ESP32OTA_NFOTA_ESP32OTA_NFOTA_ESP32OTA_OTANATIVE_H

namespace NfOta_Esp32Ota
{
    namespace NfOta_Esp32Ota
    {
        struct OtaNative
        {
            // Helper Functions to access fields of managed object
            // Declaration of stubs. These functions are implemented by Interop code developers

            static signed int RunningSlot( HRESULT &hr );

            static signed int NextSlot( HRESULT &hr );

            static signed int SlotSize( signed int param0, signed int param1, HRESULT &hr );

            static signed int EraseSize( signed int param0, signed int param1, HRESULT &hr );

            static signed int Erase( signed int param0, signed int param1, signed int param2, signed int param3, HRESULT &hr );

            static signed int Write( signed int param0, signed int param1, signed int param2, CLR_RT_TypedArray_UINT8 param3, signed int param4, signed int param5, HRESULT &hr );

            static signed int Read( signed int param0, signed int param1, signed int param2, CLR_RT_TypedArray_UINT8 param3, signed int param4, signed int param5, HRESULT &hr );

            static signed int CopyRunning( signed int param0, signed int param1, signed int param2, signed int param3, HRESULT &hr );

            static signed int SlotState( signed int param0, HRESULT &hr );

            static signed int SetBootSlot( signed int param0, HRESULT &hr );

            static signed int MarkRunningValid( HRESULT &hr );

            static signed int RollBackAndRestart( HRESULT &hr );

            static signed int AppVersion( signed int param0, CLR_RT_TypedArray_UINT8 param1, HRESULT &hr );

            static void Restart( HRESULT &hr );

        };
    }
}

#endif // NFOTA_ESP32OTA_NFOTA_ESP32OTA_NFOTA_ESP32OTA_OTANATIVE_H
