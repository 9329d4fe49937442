//
// nf-ota: slot -> partition lookups (see nf_ota_partitions.h).
//
// Verified against ESP-IDF v5.5.4: esp_partition_find_first(type, subtype, label) returns the first
// match or NULL, and its pointer stays valid for the lifetime of the application (esp_partition.h);
// esp_ota_get_running_partition() returns the partition whose code runs (esp_ota_ops.h).
//

#include "nf_ota_partitions.h"

#include <esp_ota_ops.h>

const esp_partition_t *NfOta_AppPartition(int slot)
{
    if (slot < 0 || slot >= NF_OTA_SLOT_COUNT)
    {
        return NULL;
    }

    return esp_partition_find_first(ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_OTA(slot), NULL);
}

const esp_partition_t *NfOta_DeployPartition(int slot)
{
    char label[] = "deploy_0";

    if (slot < 0 || slot >= NF_OTA_SLOT_COUNT)
    {
        return NULL;
    }

    label[7] = (char)('0' + slot);

    return esp_partition_find_first(ESP_PARTITION_TYPE_DATA, NF_OTA_SUBTYPE_DEPLOYMENT, label);
}

int NfOta_RunningSlot(void)
{
    const esp_partition_t *running = esp_ota_get_running_partition();

    if (running == NULL || running->type != ESP_PARTITION_TYPE_APP)
    {
        return -1;
    }

    if (running->subtype < ESP_PARTITION_SUBTYPE_APP_OTA_MIN ||
        running->subtype >= ESP_PARTITION_SUBTYPE_APP_OTA_MIN + NF_OTA_SLOT_COUNT)
    {
        // factory or test app: not one of ours
        return -1;
    }

    return (int)(running->subtype - ESP_PARTITION_SUBTYPE_APP_OTA_MIN);
}

const esp_partition_t *NfOta_ActiveDeployPartition(void)
{
    const esp_partition_t *deploy = NULL;
    int slot = NfOta_RunningSlot();

    if (slot >= 0)
    {
        deploy = NfOta_DeployPartition(slot);
    }

    if (deploy == NULL)
    {
        deploy = esp_partition_find_first(ESP_PARTITION_TYPE_DATA, NF_OTA_SUBTYPE_DEPLOYMENT, NULL);
    }

    return deploy;
}
