#!/usr/bin/env bash
# nf-ota: prepares an nf-interpreter checkout to build nanoCLR for ESP32 with the nf-ota OTA layout.
#
#   bootloader-config/patch-nf-interpreter.sh <nf-interpreter dir> <generated stubs dir> [4|8|16] [stock sdkconfig]
#
# <generated stubs dir> is Stubs/NfOta.Esp32Ota, written by building firmware/NfOta.Esp32Ota/NfOta.Esp32Ota.nfproj
# (NFMDP_GENERATE_STUBS). The flash size defaults to 4 (MB). The stock sdkconfig defaults file defaults to the
# one the ESP32_REV3 target uses (targets/ESP32/_IDF/sdkconfig.default_nopsram_rev3.esp32); pass your board's
# (the CONFIG_SDK_CONFIG_FILE of its targets/ESP32/defconfig/*_defconfig).
#
# What it changes, and why (see BUILD-NANOCLR.md):
#  1. InteropAssemblies/NfOta.Esp32Ota: the generated stubs, overlaid with nf-ota's native sources.
#  2. CMake/Modules/FindINTEROP-NfOta.Esp32Ota.cmake: the module NF_INTEROP_ASSEMBLIES looks for.
#  3. CMake/binutils.ESP32.cmake: links ESP-IDF's app_update component (esp_ota_* functions, ota_data_initial.bin).
#  4. targets/ESP32/_common/Device_BlockStorage.c and Target_BlockStorage_ESP32FlashDriver.c: nanoCLR looks
#     for a 'factory' app partition and the first 0x84 data partition; with ota_N it must use the running app
#     partition and deploy_N instead.
#  5. targets/ESP32/_IDF/nf-ota/: the partition table and the sdkconfig defaults (stock + sdkconfig.defaults.ota).
set -euo pipefail

nf="$(cd "${1:?nf-interpreter directory}" && pwd)"
stubs="$(cd "${2:?generated stubs directory (Stubs/NfOta.Esp32Ota)}" && pwd)"
flash="${3:-4}"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
stock="${4:-$nf/targets/ESP32/_IDF/sdkconfig.default_nopsram_rev3.esp32}"
native="$repo/firmware/NfOta.Esp32Ota/native"

case "$flash" in
  4) table="$repo/partitions.csv" ;;
  8) table="$here/partitions-8MB.csv" ;;
  16) table="$here/partitions-16MB.csv" ;;
  *) echo "flash size must be 4, 8 or 16 (MB)" >&2; exit 2 ;;
esac

for f in "$nf/CMake/binutils.ESP32.cmake" "$nf/targets/ESP32/_common/Device_BlockStorage.c" \
         "$nf/targets/ESP32/_common/Target_BlockStorage_ESP32FlashDriver.c" "$stubs/NfOta_Esp32Ota.cpp" "$table" "$stock"; do
  [ -f "$f" ] || { echo "missing: $f" >&2; exit 1; }
done

# 1. interop sources: generated first, then ours over the generated implementation stub
dest="$nf/InteropAssemblies/NfOta.Esp32Ota"
mkdir -p "$dest"
cp "$stubs"/*.cpp "$stubs"/*.h "$dest"/
cp "$native"/NfOta_Esp32Ota_NfOta_Esp32Ota_OtaNative.cpp "$native"/NfOta_Esp32Ota_NfOta_Esp32Ota_OtaNative.h \
   "$native"/nf_ota_partitions.c "$native"/nf_ota_partitions.h "$dest"/

# 2. CMake module for NF_INTEROP_ASSEMBLIES="NfOta.Esp32Ota"
cp "$native/FindINTEROP-NfOta.Esp32Ota.cmake" "$nf/CMake/Modules/"

# 3. link app_update (idempotent). nf-interpreter's sources use CRLF line endings: perl keeps them.
cmake_file="$nf/CMake/binutils.ESP32.cmake"
if ! grep -q 'idf::app_update' "$cmake_file"; then
  perl -0pi -e 's/^(    set\(IDF_COMPONENTS_TO_ADD(\r?\n))/$1        app_update$2/m; s/^(    set\(IDF_LIBRARIES_TO_ADD(\r?\n))/$1        idf::app_update$2/m' "$cmake_file"
fi
grep -q 'idf::app_update' "$cmake_file" || { echo "could not add app_update to $cmake_file" >&2; exit 1; }

# 4. nanoCLR's block storage: running app partition and deploy_N (idempotent)
bs="$nf/targets/ESP32/_common/Device_BlockStorage.c"
fd="$nf/targets/ESP32/_common/Target_BlockStorage_ESP32FlashDriver.c"
for f in "$bs" "$fd"; do
  if ! grep -q 'nf_ota_partitions.h' "$f"; then
    perl -0pi -e 's/^(#include <Target_BlockStorage_Esp32FlashDriver.h>(\r?\n))/$1#include <esp_ota_ops.h>$2#include <nf_ota_partitions.h>$2/m' "$f"
  fi
  perl -pi -e 's/esp_partition_find_first\(ESP_PARTITION_TYPE_DATA, ESP_PARTITION_SUBTYPE_DATA_NANOCLR, (NULL|0)\)/NfOta_ActiveDeployPartition()/g' "$f"
done
perl -pi -e 's/esp_partition_find_first\(ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_APP_FACTORY, 0\)/esp_ota_get_running_partition()/g' "$bs"
grep -q 'NfOta_ActiveDeployPartition()' "$bs" && grep -q 'esp_ota_get_running_partition()' "$bs" \
  && grep -q 'NfOta_ActiveDeployPartition()' "$fd" && grep -q 'nf_ota_partitions.h' "$fd" && grep -q 'nf_ota_partitions.h' "$bs" \
  || { echo "nanoCLR block storage sources did not match; patch them by hand (BUILD-NANOCLR.md step 4)" >&2; exit 1; }

# 5. partition table and sdkconfig defaults
out="$nf/targets/ESP32/_IDF/nf-ota"
mkdir -p "$out"
cp "$table" "$out/partitions.csv"
ours="$(sed -e "s/^CONFIG_ESPTOOLPY_FLASHSIZE_4MB=y$/CONFIG_ESPTOOLPY_FLASHSIZE_${flash}MB=y/" "$here/sdkconfig.defaults.ota")"
symbols="$(printf '%s\n' "$ours" | sed -n -E 's/^(# )?(CONFIG_[A-Z0-9_]+)[= ].*/\2/p' | sort -u)"
{
  # the stock file without the symbols we set (and without any other flash size choice)
  tr -d '\r' < "$stock" | grep -v -E "^(# )?($(printf '%s\n' "$symbols" | paste -sd '|'))[= ]" | grep -v -E '^CONFIG_ESPTOOLPY_FLASHSIZE_[0-9]+MB=y'
  echo
  printf '%s\n' "$ours"
} > "$out/sdkconfig.nf-ota"

echo "nf-interpreter prepared. Configure with:"
echo "  NF_INTEROP_ASSEMBLIES=\"NfOta.Esp32Ota\"  (CMake cache variable, e.g. -DNF_INTEROP_ASSEMBLIES=NfOta.Esp32Ota)"
echo "  CONFIG_SDK_CONFIG_FILE=\"$out/sdkconfig.nf-ota\"  (in config/user-kconfig.conf)"
