# Benchmarks: every bench/bench_*.c is an executable linked with all layers.
# `make bench` runs bench/run-all, which runs each bench/*.sh in name order.
file(GLOB BENCH_SRC CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/bench/bench_*.c)
foreach(bsrc IN LISTS BENCH_SRC)
  get_filename_component(bname ${bsrc} NAME_WE)
  add_executable(${bname} ${bsrc})
  target_link_libraries(${bname} PRIVATE ${ALL_LAYER_LIBS})
  set_target_properties(${bname} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bench)
endforeach()
