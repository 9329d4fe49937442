//
// nf-ota: which flash partition holds which slot, shared by the interop library and by the two
// places in nanoCLR's ESP32 block storage that pick the partitions nanoCLR runs from
// (see bootloader-config/patch-nf-interpreter.sh).
//
// Verified against ESP-IDF v5.5.4 (the version nf-interpreter's targets/ESP32/CMakeLists.txt pins):
// components/esp_partition/include/esp_partition.h (esp_partition_find_first, ESP_PARTITION_SUBTYPE_OTA,
// esp_partition_t) and components/app_update/include/esp_ota_ops.h (esp_ota_get_running_partition).
//

#ifndef NF_OTA_PARTITIONS_H
#define NF_OTA_PARTITIONS_H

#include <esp_partition.h>

#ifdef __cplusplus
extern "C" {
#endif

// The data subtype nanoCLR's ESP32 block storage uses for the deployment area
// (nf-interpreter targets/ESP32/_include/Target_BlockStorage_Esp32FlashDriver.h).
#define NF_OTA_SUBTYPE_DEPLOYMENT ((esp_partition_subtype_t)0x84)

// Number of slots per image kind: ota_0/ota_1 and deploy_0/deploy_1.
#define NF_OTA_SLOT_COUNT 2

// App partition of slot 0 or 1 (subtype ota_0 / ota_1), or NULL.
const esp_partition_t *NfOta_AppPartition(int slot);

// Deployment partition of slot 0 or 1 (data, subtype 0x84, label "deploy_0" / "deploy_1"), or NULL.
const esp_partition_t *NfOta_DeployPartition(int slot);

// Slot of the app nanoCLR runs from (0 or 1), or -1 when it runs from a factory partition.
int NfOta_RunningSlot(void);

// The deployment partition that goes with the running app: deploy_N for ota_N. Falls back to the
// first data partition of subtype 0x84, so a stock (factory + deploy) layout keeps working.
const esp_partition_t *NfOta_ActiveDeployPartition(void);

#ifdef __cplusplus
}
#endif

#endif // NF_OTA_PARTITIONS_H
