// Shared Responsibility: ownership of every student's success, joint accountability for results and professional trust; behaviour is entirely in definition.json.
#include <mindset/sdk.h>
#include "mindset_definition.h"
MINDSET_INSTRUMENT_FROM_JSON(mindset_definition_json)
