# cmake -DMAIN_BUILD=<dir> -DWORK_DIR=<dir> -DMINDSET=<exe> -DCXX_COMPILER=<path> -DGENERATOR=<name>
#       -P TemplatePlugin.cmake
#
# What a researcher does from nothing with `mindset instrument new`: installs the SDK from the main
# build into a fresh prefix, writes the template project, builds it against that prefix only (the
# build ends with `mindset instrument check`), runs its scoring test, has `mindset plugins` load it;
# then drops an item's reverse keying and expects the scoring test to fail, naming the case; then
# removes one Spanish item text and expects the build itself to fail, naming the version and the item.
foreach(required MAIN_BUILD WORK_DIR MINDSET CXX_COMPILER GENERATOR)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "TemplatePlugin.cmake: ${required} is required")
  endif()
endforeach()

set(name readiness-draft)
set(prefix ${WORK_DIR}/prefix)
set(project ${WORK_DIR}/${name})
set(build ${project}/build)
string(TIMESTAMP startMicroseconds "%s%f" UTC)
set(previousMicroseconds ${startMicroseconds})
set(timings)

# step(<name> <expected exit: 0 or FAIL> <command...>) runs the command and records how long it took.
function(step label expected)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE exitCode OUTPUT_VARIABLE output ERROR_VARIABLE output)
  string(TIMESTAMP now "%s%f" UTC)
  math(EXPR milliseconds "(${now} - ${previousMicroseconds}) / 1000")
  set(previousMicroseconds ${now} PARENT_SCOPE)
  list(APPEND timings "${label}: ${milliseconds} ms")
  set(timings ${timings} PARENT_SCOPE)
  set(stepOutput "${output}" PARENT_SCOPE)
  list(JOIN ARGN " " commandLine)
  if(expected STREQUAL "0" AND NOT exitCode EQUAL 0)
    message(FATAL_ERROR "${label} failed (exit code ${exitCode}):\n$ ${commandLine}\n${output}")
  endif()
  if(expected STREQUAL "FAIL" AND exitCode EQUAL 0)
    message(FATAL_ERROR "${label} was expected to fail, and succeeded:\n$ ${commandLine}\n${output}")
  endif()
endfunction()

# expectOutput(<label> <text...>) fails unless the last step's output contains every text.
function(expectOutput label)
  foreach(text IN LISTS ARGN)
    string(FIND "${stepOutput}" "${text}" position)
    if(position EQUAL -1)
      message(FATAL_ERROR "${label}: expected the output to contain:\n  ${text}\nIt was:\n${stepOutput}")
    endif()
  endforeach()
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

step("install SDK" 0 ${CMAKE_COMMAND} --install ${MAIN_BUILD} --component sdk --prefix ${prefix})

step("mindset instrument new" 0 ${MINDSET} instrument new ${name} --out ${WORK_DIR})
expectOutput("mindset instrument new" "Wrote ${project}/: CMakeLists.txt, plugin.cpp, definition.json, scoring_test.cpp, README.md")
foreach(file CMakeLists.txt plugin.cpp definition.json scoring_test.cpp README.md)
  if(NOT EXISTS ${project}/${file})
    message(FATAL_ERROR "mindset instrument new did not write ${project}/${file}")
  endif()
endforeach()
step("mindset instrument new, again" FAIL ${MINDSET} instrument new ${name} --out ${WORK_DIR})
expectOutput("mindset instrument new, again" "${project} already exists; nothing was written")

step("mindset instrument check definition.json" 0 ${MINDSET} instrument check ${project}/definition.json)
expectOutput("check definition.json" "${project}/definition.json: ${name}@1.0.0: ok (6 items, 2 scales, 4 response options")

# The host compares compiler ids, so the plugin must be built with the host's compiler.
step("configure template" 0 ${CMAKE_COMMAND} -S ${project} -B ${build} -G ${GENERATOR}
  -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_BUILD_TYPE=RelWithDebInfo
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
step("build template" 0 ${CMAKE_COMMAND} --build ${build} --parallel 2)
# The build ran the checker on the module it made.
set(module ${build}/plugins/${name}.so)
expectOutput("build template" "${module}: ${name}@1.0.0: ok (6 items, 2 scales, 4 response options"
  "${module}: 1 instrument version(s) pass, 0 refused")

step("mindset plugins" 0 ${MINDSET} plugins --plugins ${build}/plugins)
expectOutput("mindset plugins" "  ${name}@1.0.0  ${name} (draft)  (6 items, 2 scales; ${module})")

# The template's own test loads the built plugin and checks scores worked out by hand.
step("ctest template" 0 ${CMAKE_COMMAND} -E chdir ${build} ctest --verbose)
expectOutput("ctest template" "${name}@1.0.0 scoring: all checks passed" "100% tests passed, 0 tests failed out of 1")

# A researcher drops du3's reverse keying: the definition is still valid, so the build passes, and
# the scoring test says which score changed.
file(READ ${project}/definition.json original)
set(reversed [["id": "du3", "scale": "data-use", "reverseKeyed": true,]])
string(FIND "${original}" "${reversed}" position)
if(position EQUAL -1)
  message(FATAL_ERROR "the template's definition.json no longer has the reverse-keyed item this test changes")
endif()
string(REPLACE "${reversed}" [["id": "du3", "scale": "data-use",]] unkeyed "${original}")
file(WRITE ${project}/definition.json "${unkeyed}")
step("build without du3's reverse keying" 0 ${CMAKE_COMMAND} --build ${build} --parallel 2)
step("ctest without du3's reverse keying" FAIL ${CMAKE_COMMAND} -E chdir ${build} ctest --output-on-failure)
expectOutput("ctest without du3's reverse keying" "FAILED: data-use is the mean of keyed answers, du3 reversed")
file(WRITE ${project}/definition.json "${original}")

# A researcher forgets one Spanish text: the build fails and says where.
set(definition "${original}")
set(spanish [["es": "Las opiniones de las familias cambian lo que hace la escuela."]])
string(FIND "${definition}" ", ${spanish}" position)
if(position EQUAL -1)
  message(FATAL_ERROR "the template's definition.json no longer has the item text this test removes")
endif()
string(REPLACE ", ${spanish}" "" definition "${definition}")
file(WRITE ${project}/definition.json "${definition}")
step("build with a missing Spanish text" FAIL ${CMAKE_COMMAND} --build ${build} --parallel 2)
expectOutput("build with a missing Spanish text"
  "${module}: ${name}@1.0.0: $.items['fe3'].text: Spanish text (\"es\") is missing"
  "${module}: 0 instrument version(s) pass, 1 refused")

string(TIMESTAMP endMicroseconds "%s%f" UTC)
math(EXPR totalMilliseconds "(${endMicroseconds} - ${startMicroseconds}) / 1000")
list(JOIN timings "\n  " timingText)
message("sdk_template_plugin timings:\n  ${timingText}\n  total: ${totalMilliseconds} ms")
