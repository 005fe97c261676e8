# cmake -DMAIN_BUILD=<dir> -DEXAMPLE=<dir> -DWORK_DIR=<dir> -DMINDSET=<exe> -DCXX_COMPILER=<path>
#       -DGENERATOR=<name> -P OutOfTreePlugin.cmake
#
# Does what a researcher does with tests/sdk/example-plugin, from nothing: installs the SDK from
# the main build into a fresh prefix, configures and builds the example against that prefix only,
# runs the example's own scoring check, and has `mindset plugins` load the built module.
foreach(required MAIN_BUILD EXAMPLE WORK_DIR MINDSET CXX_COMPILER GENERATOR)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "OutOfTreePlugin.cmake: ${required} is required")
  endif()
endforeach()

set(prefix ${WORK_DIR}/prefix)
set(build ${WORK_DIR}/build)
# Microseconds since the epoch (%f needs CMake 3.23).
string(TIMESTAMP startMicroseconds "%s%f" UTC)
set(previousMicroseconds ${startMicroseconds})
set(timings)

# step(<name> <command...>) runs the command, fails the test with its output if it fails, and
# records how long it took.
function(step name)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE exitCode OUTPUT_VARIABLE output ERROR_VARIABLE output)
  string(TIMESTAMP now "%s%f" UTC)
  math(EXPR milliseconds "(${now} - ${previousMicroseconds}) / 1000")
  set(previousMicroseconds ${now} PARENT_SCOPE)
  list(APPEND timings "${name}: ${milliseconds} ms")
  set(timings ${timings} PARENT_SCOPE)
  set(stepOutput "${output}" PARENT_SCOPE)
  if(NOT exitCode EQUAL 0)
    list(JOIN ARGN " " commandLine)
    message(FATAL_ERROR "${name} failed (exit code ${exitCode}):\n$ ${commandLine}\n${output}")
  endif()
endfunction()

# A stale prefix or build would let this pass without the install or configure really working.
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

step("install SDK" ${CMAKE_COMMAND} --install ${MAIN_BUILD} --component sdk --prefix ${prefix})
set(missing)
foreach(file
    include/mindset/sdk.h
    include/mindset/sdk/Definition.h
    include/mindset/sdk/Instrument.h
    include/mindset/sdk/Plugin.h)
  if(NOT EXISTS ${prefix}/${file})
    list(APPEND missing ${file})
  endif()
endforeach()
foreach(file MindsetSDKConfig.cmake MindsetSDKConfigVersion.cmake MindsetSDKTargets.cmake MindsetInstrument.cmake)
  file(GLOB found ${prefix}/lib*/cmake/MindsetSDK/${file})
  if(NOT found)
    list(APPEND missing "lib*/cmake/MindsetSDK/${file}")
  endif()
endforeach()
if(missing)
  list(JOIN missing "\n  " missingText)
  message(FATAL_ERROR "cmake --install --component sdk did not install, under ${prefix}:\n  ${missingText}\n${stepOutput}")
endif()

# The host compares compiler ids, so the plugin must be built with the host's compiler.
step("configure example" ${CMAKE_COMMAND} -S ${EXAMPLE} -B ${build} -G ${GENERATOR}
  -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_BUILD_TYPE=RelWithDebInfo
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
file(STRINGS ${build}/CMakeCache.txt sdkDir REGEX "^MindsetSDK_DIR:")
string(FIND "${sdkDir}" "${prefix}/" position)
if(NOT position GREATER -1)
  message(FATAL_ERROR "the example found the SDK outside the fresh install prefix ${prefix}: ${sdkDir}")
endif()

step("build example" ${CMAKE_COMMAND} --build ${build} --parallel 2)
step("example scoring check" ${CMAKE_CTEST_COMMAND} --test-dir ${build} --output-on-failure)

set(module ${build}/plugins/staff-belonging.so)
step("mindset plugins" ${MINDSET} plugins --plugins ${build}/plugins)
message("${stepOutput}")
foreach(text "  staff-belonging@1.0.0  Staff Belonging Scale  (7 items, 2 scales; ${module})"
             "equity-excellence@1.0.0")
  string(FIND "${stepOutput}" "${text}" position)
  if(position EQUAL -1)
    message(FATAL_ERROR "expected `mindset plugins --plugins ${build}/plugins` to list:\n  ${text}")
  endif()
endforeach()
string(FIND "${stepOutput}" "Refused plugin files" position)
if(position GREATER -1)
  message(FATAL_ERROR "expected no refused plugin files")
endif()

string(TIMESTAMP endMicroseconds "%s%f" UTC)
math(EXPR totalMilliseconds "(${endMicroseconds} - ${startMicroseconds}) / 1000")
list(JOIN timings "\n  " timingText)
message("sdk_out_of_tree_plugin timings:\n  ${timingText}\n  total: ${totalMilliseconds} ms")
