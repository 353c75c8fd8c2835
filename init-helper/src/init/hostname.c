#include "hostname.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

static bool has_uts_namespace(json_object *spec)
{
	json_object *list = cfg_get(cfg_get(spec, "linux"), "namespaces");
	size_t n;

	if (list == NULL || !json_object_is_type(list, json_type_array))
		return false;
	n = json_object_array_length(list);
	for (size_t i = 0; i < n; i++) {
		const char *type = cfg_string(json_object_array_get_idx(list, i), "type");

		if (type != NULL && strcmp(type, "uts") == 0)
			return true;
	}
	return false;
}

int hostname_apply(const struct init_config *cfg, struct orch_error *err)
{
	const char *hostname = cfg_string(cfg->spec, "hostname");
	const char *domainname = cfg_string(cfg->spec, "domainname");
	bool uts = has_uts_namespace(cfg->spec);

	if (hostname != NULL && hostname[0] != '\0') {
		if (!uts)
			return orch_fail(err, 0, "unable to set hostname without a private UTS namespace");
		if (sethostname(hostname, strlen(hostname)) < 0)
			return orch_fail(err, errno, "sethostname \"%s\"", hostname);
	}
	if (domainname != NULL && domainname[0] != '\0') {
		if (!uts)
			return orch_fail(err, 0, "unable to set domainname without a private UTS namespace");
		if (setdomainname(domainname, strlen(domainname)) < 0)
			return orch_fail(err, errno, "setdomainname \"%s\"", domainname);
	}
	return 0;
}
