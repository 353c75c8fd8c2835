/* The sync channel's line reader, fed whatever the other end could write. */
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sync/fd_io.h"
#include "sync/sync.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct orch_error err;
	int fd = memfd_create("sync", MFD_CLOEXEC);
	char *line;

	if (fd < 0)
		return 0;
	if (fd_write_all(fd, data, size) == 0 && lseek(fd, 0, SEEK_SET) == 0) {
		for (int i = 0; i < 64 && sync_read_line(fd, &line, &err) == 0; i++)
			free(line);
	}
	close(fd);
	return 0;
}
