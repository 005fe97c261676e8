// Racial Equity Office readiness: a district self-assessment on a 4-point implementation scale with "don't know"; behaviour is entirely in its definitions.
// The plugin also registers 1.0.0 (definition-1.0.0.json), whose six phases are scales of their own.
#include <mindset/sdk.h>
#include "mindset_definition.h"
MINDSET_INSTRUMENTS_FROM_JSON(mindset_definitions_json)
