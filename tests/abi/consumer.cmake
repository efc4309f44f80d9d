# Builds and runs tests/abi/consumer against an installed prefix, twice: with find_package(sr_sink)
# and with pkg-config. Also checks the installed SONAME and symlinks.
# Usage: cmake -DPREFIX=<dir> -DLIBDIR=<lib> -DINCLUDEDIR=<include> -DSRC=<consumer dir> -DWORK=<scratch>
#              -DCC=<c compiler> -DGENERATOR=<cmake generator> -DREADELF=<readelf> [-DSANITIZE=address,undefined] -P consumer.cmake
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(libdir "${PREFIX}/${LIBDIR}")
set(extra_flags "")
if(SANITIZE)
  # A sanitized library needs a sanitized host (the runtime must come first).
  set(extra_flags "-fsanitize=${SANITIZE}")
endif()

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${ARGN}\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

# --- installed files ---
foreach(f "${PREFIX}/${INCLUDEDIR}/sr_sink.h" "${libdir}/libsr_sink.so" "${libdir}/libsr_sink.so.1"
          "${libdir}/pkgconfig/sr_sink.pc" "${libdir}/cmake/sr_sink/sr_sinkConfig.cmake")
  if(NOT EXISTS "${f}")
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()
run("readelf" ${READELF} -d "${libdir}/libsr_sink.so.1")
if(NOT last_output MATCHES "Library soname: \\[libsr_sink\\.so\\.1\\]")
  message(FATAL_ERROR "installed library's SONAME is not libsr_sink.so.1:\n${last_output}")
endif()
file(READ_SYMLINK "${libdir}/libsr_sink.so" dev_link)
if(NOT dev_link STREQUAL "libsr_sink.so.1")
  message(FATAL_ERROR "libsr_sink.so should point to libsr_sink.so.1, points to ${dev_link}")
endif()

set(expected_output "^sr_sink 1\\.[0-9]+\\.[0-9]+ abi 1\\.[0-9]+\n$")

# --- find_package(sr_sink) ---
run("configure consumer" ${CMAKE_COMMAND} -S "${SRC}" -B "${WORK}/cmake" -G "${GENERATOR}"
    "-DCMAKE_PREFIX_PATH=${PREFIX}" "-DCMAKE_C_COMPILER=${CC}" "-DCMAKE_C_FLAGS=${extra_flags}"
    "-DCMAKE_EXE_LINKER_FLAGS=${extra_flags}")
run("build consumer" ${CMAKE_COMMAND} --build "${WORK}/cmake")
run("run consumer (find_package)" "${WORK}/cmake/consumer")
if(NOT last_output MATCHES "${expected_output}")
  message(FATAL_ERROR "find_package consumer printed: ${last_output}")
endif()

# --- pkg-config ---
# --define-variable: the installed .pc bakes in the configure-time prefix (see REQUESTS.md).
set(pc ${CMAKE_COMMAND} -E env "PKG_CONFIG_PATH=${libdir}/pkgconfig" pkg-config
       "--define-variable=prefix=${PREFIX}")
run("pkg-config --modversion" ${pc} --modversion sr_sink)
string(STRIP "${last_output}" modversion)
if(NOT modversion MATCHES "^1\\.[0-9]+\\.")
  message(FATAL_ERROR "pkg-config --modversion sr_sink = ${modversion}")
endif()
run("pkg-config --cflags --libs" ${pc} --cflags --libs sr_sink)
string(STRIP "${last_output}" flags)
separate_arguments(flags UNIX_COMMAND "${flags}")
separate_arguments(extra UNIX_COMMAND "${extra_flags}")
run("compile consumer with pkg-config flags" ${CC} -std=c99 -Wall -Wextra -Werror -pedantic ${extra}
    "${SRC}/consumer.c" ${flags} "-Wl,-rpath,${libdir}" -o "${WORK}/consumer-pc")
run("run consumer (pkg-config)" "${WORK}/consumer-pc")
if(NOT last_output MATCHES "${expected_output}")
  message(FATAL_ERROR "pkg-config consumer printed: ${last_output}")
endif()
message(STATUS "consumer built with find_package and pkg-config: ${last_output}")
