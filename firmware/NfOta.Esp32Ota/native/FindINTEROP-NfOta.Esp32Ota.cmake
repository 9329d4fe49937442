#
# nf-ota: CMake module that adds the NfOta.Esp32Ota interop library to a nanoCLR build.
# Shape copied from the generated FindINTEROP-NF.AwesomeLib.cmake in nanoframework/Samples
# (samples/Interop/awesome-library/Stubs); found by nf-interpreter's
# CMake/Modules/FindNF_NativeAssemblies.cmake (find_package("INTEROP-${interopAssemblyName}"))
# when the build option NF_INTEROP_ASSEMBLIES contains "NfOta.Esp32Ota".
#
# Place this file in nf-interpreter/CMake/Modules/ and the sources in
# nf-interpreter/InteropAssemblies/NfOta.Esp32Ota/ (see bootloader-config/BUILD-NANOCLR.md).
#

# native code directory
set(BASE_PATH_FOR_THIS_MODULE ${PROJECT_SOURCE_DIR}/InteropAssemblies/NfOta.Esp32Ota)

# set include directories
list(APPEND NfOta.Esp32Ota_INCLUDE_DIRS ${PROJECT_SOURCE_DIR}/src/CLR/Core)
list(APPEND NfOta.Esp32Ota_INCLUDE_DIRS ${PROJECT_SOURCE_DIR}/src/CLR/Include)
list(APPEND NfOta.Esp32Ota_INCLUDE_DIRS ${PROJECT_SOURCE_DIR}/src/HAL/Include)
list(APPEND NfOta.Esp32Ota_INCLUDE_DIRS ${PROJECT_SOURCE_DIR}/src/PAL/Include)
list(APPEND NfOta.Esp32Ota_INCLUDE_DIRS ${BASE_PATH_FOR_THIS_MODULE})

# ESP-IDF headers esp_ota_ops.h needs that nf-interpreter's CMake/Modules/FindESP32_IDF.cmake does not list
# (it has esp_partition/include but not these); the app_update component itself is linked by the
# IDF_COMPONENTS_TO_ADD edit that bootloader-config/patch-nf-interpreter.sh makes.
list(APPEND NfOta.Esp32Ota_INCLUDE_DIRS ${IDF_PATH_CMAKED}/components/app_update/include)
list(APPEND NfOta.Esp32Ota_INCLUDE_DIRS ${IDF_PATH_CMAKED}/components/bootloader_support/include)
list(APPEND NfOta.Esp32Ota_INCLUDE_DIRS ${IDF_PATH_CMAKED}/components/esp_app_format/include)
list(APPEND NfOta.Esp32Ota_INCLUDE_DIRS ${IDF_PATH_CMAKED}/components/esp_bootloader_format/include)

# source files: the first four come from the metadata processor (Stubs/NfOta.Esp32Ota), the rest from nf-ota
set(NfOta.Esp32Ota_SRCS

    NfOta_Esp32Ota.cpp
    NfOta_Esp32Ota_NfOta_Esp32Ota_OtaNative_mshl.cpp
    NfOta_Esp32Ota_NfOta_Esp32Ota_OtaNative.cpp
    nf_ota_partitions.c

)

foreach(SRC_FILE ${NfOta.Esp32Ota_SRCS})
    set(NfOta.Esp32Ota_SRC_FILE SRC_FILE-NOTFOUND)
    find_file(NfOta.Esp32Ota_SRC_FILE ${SRC_FILE}
        PATHS
            ${BASE_PATH_FOR_THIS_MODULE}
            ${TARGET_BASE_LOCATION}
            ${PROJECT_SOURCE_DIR}/src/NfOta.Esp32Ota

        CMAKE_FIND_ROOT_PATH_BOTH
    )
    # message("${SRC_FILE} >> ${NfOta.Esp32Ota_SRC_FILE}") # debug helper
    list(APPEND NfOta.Esp32Ota_SOURCES ${NfOta.Esp32Ota_SRC_FILE})
endforeach()

include(FindPackageHandleStandardArgs)

FIND_PACKAGE_HANDLE_STANDARD_ARGS(NfOta.Esp32Ota DEFAULT_MSG NfOta.Esp32Ota_INCLUDE_DIRS NfOta.Esp32Ota_SOURCES)
