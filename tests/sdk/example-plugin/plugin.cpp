// The plugin's entry points: the host calls registerInstruments once, at start-up.
#include <memory>

#include <mindset/sdk.h>

#include "StaffBelonging.h"
#include "mindset_definition.h"  // generated from definition.json by mindset_add_instrument

namespace {

void registerInstruments(mindset::sdk::Registrar& registrar) {
    // A DefinitionError thrown here reaches the host as the reason the plugin was refused.
    registrar.addInstrument(std::make_unique<StaffBelongingInstrument>(mindset_definition_json));
}

}  // namespace

MINDSET_PLUGIN(registerInstruments)
