//
// nf-ota: the nanoCLR side of NfOta.Esp32Ota.OtaNative. Copy this file over the generated
// Stubs/NfOta.Esp32Ota/NfOta_Esp32Ota_NfOta_Esp32Ota_OtaNative.cpp (the one with the
// "implementation starts here" markers); keep the generated NfOta_Esp32Ota.cpp, NfOta_Esp32Ota.h and
// *_mshl.cpp files as they are: they hold the method table and the assembly checksum.
//
// Verified against ESP-IDF v5.5.4 (pinned by nf-interpreter targets/ESP32/CMakeLists.txt, ESP32_IDF_TAG):
// - components/app_update/include/esp_ota_ops.h and esp_ota_ops.c: esp_ota_get_running_partition,
//   esp_ota_get_next_update_partition, esp_ota_set_boot_partition (validates the image with
//   image_validate(ESP_IMAGE_VERIFY), incl. the secure boot signature, before writing otadata),
//   esp_ota_mark_app_valid_cancel_rollback, esp_ota_mark_app_invalid_rollback_and_reboot,
//   esp_ota_get_state_partition (ESP_ERR_NOT_FOUND when otadata has no entry), esp_ota_get_partition_description.
// - components/bootloader_support/include/esp_flash_partitions.h: esp_ota_img_states_t values
//   NEW 0, PENDING_VERIFY 1, VALID 2, INVALID 3, ABORTED 4, UNDEFINED 0xFFFFFFFF.
// - components/esp_partition/include/esp_partition.h: esp_partition_erase_range (offset/size aligned to
//   erase_size), esp_partition_write (region must be erased first), esp_partition_read, esp_partition_copy
//   (erases the destination range, dest_offset must be aligned to SPI_FLASH_SEC_SIZE).
// - components/esp_app_format/include/esp_app_desc.h: esp_app_desc_t.version is char[32].
// - components/esp_system/include/esp_system.h: esp_restart (noreturn).
// Stub shape verified against nanoframework/Samples samples/Interop/awesome-library/Stubs and
// nf-interpreter src/CLR/Include/nanoCLR_Interop.h (CLR_RT_TypedArray_UINT8: GetBuffer, GetSize).
//
// Why esp_partition_* and not esp_ota_begin/esp_ota_write/esp_ota_end: esp_ota_begin erases the slot
// and esp_ota_write only appends, both within one boot, so a download interrupted by a power cut could
// not resume where it stopped. Raw partition writes at any offset let the agent's journal resume, and
// esp_ota_set_boot_partition performs the same image validation esp_ota_end does before the slot can boot.
//

#include "NfOta_Esp32Ota.h"
#include "NfOta_Esp32Ota_NfOta_Esp32Ota_OtaNative.h"
#include "nf_ota_partitions.h"

#include <esp_ota_ops.h>
#include <esp_partition.h>
#include <esp_app_desc.h>
#include <esp_system.h>
#include <stdint.h>
#include <string.h>

using namespace NfOta_Esp32Ota::NfOta_Esp32Ota;

// must match OtaNative.KindFirmware / OtaNative.KindDeployment
static const signed int KindFirmware = 0;
static const signed int KindDeployment = 1;

static const esp_partition_t *SlotPartition(signed int kind, signed int slot)
{
    if (kind == KindFirmware)
    {
        return NfOta_AppPartition(slot);
    }

    if (kind == KindDeployment)
    {
        return NfOta_DeployPartition(slot);
    }

    return NULL;
}

// The running image must stay bootable: nothing here may erase or write the slot it runs from.
static bool IsRunningSlot(signed int slot)
{
    return slot == NfOta_RunningSlot();
}

// buffer[index, index + count) must lie inside the managed array.
static bool BufferRangeValid(CLR_RT_TypedArray_UINT8 &buffer, signed int index, signed int count)
{
    if (buffer.GetBuffer() == NULL || index < 0 || count < 0)
    {
        return false;
    }

    return (uint32_t)index + (uint32_t)count <= buffer.GetSize();
}

signed int OtaNative::RunningSlot( HRESULT &hr )
{
    (void)hr;

    return NfOta_RunningSlot();
}

signed int OtaNative::NextSlot( HRESULT &hr )
{
    (void)hr;

    const esp_partition_t *next = esp_ota_get_next_update_partition(NULL);

    if (next == NULL)
    {
        return -1;
    }

    for (int slot = 0; slot < NF_OTA_SLOT_COUNT; slot++)
    {
        if (NfOta_AppPartition(slot) == next)
        {
            return slot;
        }
    }

    return -1;
}

signed int OtaNative::SlotSize( signed int param0, signed int param1, HRESULT &hr )
{
    (void)hr;

    const esp_partition_t *partition = SlotPartition(param0, param1);

    return partition == NULL ? -1 : (signed int)partition->size;
}

signed int OtaNative::EraseSize( signed int param0, signed int param1, HRESULT &hr )
{
    (void)hr;

    const esp_partition_t *partition = SlotPartition(param0, param1);

    return partition == NULL ? -1 : (signed int)partition->erase_size;
}

signed int OtaNative::Erase( signed int param0, signed int param1, signed int param2, signed int param3, HRESULT &hr )
{
    (void)hr;

    // param0 kind, param1 slot, param2 offset, param3 length
    const esp_partition_t *partition = SlotPartition(param0, param1);

    if (partition == NULL || param2 < 0 || param3 < 0)
    {
        return ESP_ERR_INVALID_ARG;
    }

    if (IsRunningSlot(param1))
    {
        return ESP_ERR_INVALID_STATE;
    }

    return esp_partition_erase_range(partition, (size_t)param2, (size_t)param3);
}

signed int OtaNative::Write( signed int param0, signed int param1, signed int param2, CLR_RT_TypedArray_UINT8 param3, signed int param4, signed int param5, HRESULT &hr )
{
    (void)hr;

    // param0 kind, param1 slot, param2 offset in the partition, param3 buffer, param4 index, param5 count
    const esp_partition_t *partition = SlotPartition(param0, param1);

    if (partition == NULL || param2 < 0 || !BufferRangeValid(param3, param4, param5))
    {
        return ESP_ERR_INVALID_ARG;
    }

    if (IsRunningSlot(param1))
    {
        return ESP_ERR_INVALID_STATE;
    }

    if (param5 == 0)
    {
        return ESP_OK;
    }

    return esp_partition_write(partition, (size_t)param2, param3.GetBuffer() + param4, (size_t)param5);
}

signed int OtaNative::Read( signed int param0, signed int param1, signed int param2, CLR_RT_TypedArray_UINT8 param3, signed int param4, signed int param5, HRESULT &hr )
{
    (void)hr;

    const esp_partition_t *partition = SlotPartition(param0, param1);

    if (partition == NULL || param2 < 0 || !BufferRangeValid(param3, param4, param5))
    {
        return ESP_ERR_INVALID_ARG;
    }

    if (param5 == 0)
    {
        return ESP_OK;
    }

    return esp_partition_read(partition, (size_t)param2, param3.GetBuffer() + param4, (size_t)param5);
}

signed int OtaNative::CopyRunning( signed int param0, signed int param1, signed int param2, signed int param3, HRESULT &hr )
{
    (void)hr;

    // param0 kind, param1 destination slot, param2 offset (sector aligned), param3 length
    int running = NfOta_RunningSlot();
    const esp_partition_t *source = SlotPartition(param0, running);
    const esp_partition_t *destination = SlotPartition(param0, param1);

    if (source == NULL || destination == NULL)
    {
        return ESP_ERR_NOT_FOUND;
    }

    if (source == destination)
    {
        return ESP_ERR_INVALID_STATE;
    }

    if (param2 < 0 || param3 <= 0 || (uint32_t)param2 + (uint32_t)param3 > source->size ||
        (uint32_t)param2 + (uint32_t)param3 > destination->size)
    {
        return ESP_ERR_INVALID_SIZE;
    }

    // erases the destination range (sector aligned) and copies the same range of the source into it
    return esp_partition_copy(destination, (uint32_t)param2, source, (uint32_t)param2, (size_t)param3);
}

signed int OtaNative::SlotState( signed int param0, HRESULT &hr )
{
    (void)hr;

    const esp_partition_t *partition = NfOta_AppPartition(param0);
    esp_ota_img_states_t state;

    if (partition == NULL)
    {
        return -2;
    }

    if (esp_ota_get_state_partition(partition, &state) != ESP_OK)
    {
        // ESP_ERR_NOT_FOUND: otadata holds no entry for this slot
        return -1;
    }

    switch (state)
    {
        case ESP_OTA_IMG_NEW:
            return 0;
        case ESP_OTA_IMG_PENDING_VERIFY:
            return 1;
        case ESP_OTA_IMG_VALID:
            return 2;
        case ESP_OTA_IMG_INVALID:
            return 3;
        case ESP_OTA_IMG_ABORTED:
            return 4;
        default:
            // ESP_OTA_IMG_UNDEFINED
            return -1;
    }
}

signed int OtaNative::SetBootSlot( signed int param0, HRESULT &hr )
{
    (void)hr;

    const esp_partition_t *partition = NfOta_AppPartition(param0);

    if (partition == NULL)
    {
        return ESP_ERR_NOT_FOUND;
    }

    return esp_ota_set_boot_partition(partition);
}

signed int OtaNative::MarkRunningValid( HRESULT &hr )
{
    (void)hr;

    return esp_ota_mark_app_valid_cancel_rollback();
}

signed int OtaNative::RollBackAndRestart( HRESULT &hr )
{
    (void)hr;

    // returns only when no other slot can boot
    return esp_ota_mark_app_invalid_rollback_and_reboot();
}

signed int OtaNative::AppVersion( signed int param0, CLR_RT_TypedArray_UINT8 param1, HRESULT &hr )
{
    (void)hr;

    const esp_partition_t *partition = NfOta_AppPartition(param0);
    esp_app_desc_t description;
    size_t length;

    if (partition == NULL || param1.GetBuffer() == NULL)
    {
        return -ESP_ERR_INVALID_ARG;
    }

    esp_err_t err = esp_ota_get_partition_description(partition, &description);

    if (err != ESP_OK)
    {
        return -err;
    }

    length = strnlen(description.version, sizeof(description.version));

    if (length > param1.GetSize())
    {
        return -ESP_ERR_INVALID_SIZE;
    }

    memcpy(param1.GetBuffer(), description.version, length);

    return (signed int)length;
}

void OtaNative::Restart( HRESULT &hr )
{
    (void)hr;

    esp_restart();
}
