/* The netlink bootstrap message's attributes, as stage-0 parses them from the orchestrator. */
#include <stddef.h>
#include <stdint.h>

#include "nsexec/bootstrap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bootstrap b;
	struct orch_error err;

	bootstrap_parse(data, size, &b, &err);
	bootstrap_free(&b);
	return 0;
}
