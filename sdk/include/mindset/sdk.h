#pragma once
/// The Mindset SDK: everything a plugin needs. See docs/writing-an-instrument.md.
#include "sdk/Definition.h"
#include "sdk/Instrument.h"
#include "sdk/Plugin.h"
