/* Job logs into the blob store on a thread of their own (see log_store.h). */
#include "pipeline/log_store.h"
#include "core/xalloc.h"
#include "store/blobs.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct log_store {
	char *data_dir;
	size_t max_queued, queued; /* bytes waiting (and being stored) */
	struct log_store_item *head, *tail;
	int busy, closing;
	pthread_mutex_t mu;
	pthread_cond_t work, space, idle;
	pthread_t thread;
};

static void *run(void *arg)
{
	struct log_store *ls = arg;
	pthread_mutex_lock(&ls->mu);
	for (;;) {
		while (!ls->head && !ls->closing)
			pthread_cond_wait(&ls->work, &ls->mu);
		struct log_store_item *it = ls->head;
		if (!it)
			break; /* closing and nothing left */
		ls->head = it->next;
		if (!ls->head)
			ls->tail = NULL;
		ls->busy = 1;
		pthread_mutex_unlock(&ls->mu);

		size_t len = it->data.len;
		it->raw = len;
		it->rc = blob_put(ls->data_dir, it->data.data ? it->data.data : "", len, it->hex, &it->stored, &it->err);
		buf_release(&it->data);

		pthread_mutex_lock(&ls->mu);
		ls->busy = 0;
		ls->queued -= len;
		pthread_cond_broadcast(&ls->space);
		if (!ls->head)
			pthread_cond_broadcast(&ls->idle);
	}
	pthread_mutex_unlock(&ls->mu);
	return NULL;
}

int log_store_start(struct log_store **out, const char *data_dir, size_t max_queued, struct err *e)
{
	struct log_store *ls = xcalloc(1, sizeof(*ls));
	ls->data_dir = xstrdup(data_dir);
	ls->max_queued = max_queued;
	pthread_mutex_init(&ls->mu, NULL);
	pthread_cond_init(&ls->work, NULL);
	pthread_cond_init(&ls->space, NULL);
	pthread_cond_init(&ls->idle, NULL);
	if (pthread_create(&ls->thread, NULL, run, ls) != 0) {
		free(ls->data_dir);
		free(ls);
		*out = NULL;
		return err_set(e, ERR_INTERNAL, "cannot start the log-storing thread");
	}
	*out = ls;
	return 0;
}

void log_store_put(struct log_store *ls, struct log_store_item *it)
{
	pthread_mutex_lock(&ls->mu);
	/* Back-pressure: one log larger than the bound still goes when the queue is empty. */
	while (ls->queued > 0 && ls->queued + it->data.len > ls->max_queued)
		pthread_cond_wait(&ls->space, &ls->mu);
	it->next = NULL;
	it->rc = 0;
	if (ls->tail)
		ls->tail->next = it;
	else
		ls->head = it;
	ls->tail = it;
	ls->queued += it->data.len;
	pthread_cond_signal(&ls->work);
	pthread_mutex_unlock(&ls->mu);
}

void log_store_drain(struct log_store *ls)
{
	pthread_mutex_lock(&ls->mu);
	while (ls->head || ls->busy)
		pthread_cond_wait(&ls->idle, &ls->mu);
	pthread_mutex_unlock(&ls->mu);
}

void log_store_stop(struct log_store *ls)
{
	if (!ls)
		return;
	pthread_mutex_lock(&ls->mu);
	ls->closing = 1;
	pthread_cond_signal(&ls->work);
	pthread_mutex_unlock(&ls->mu);
	pthread_join(ls->thread, NULL);
	pthread_mutex_destroy(&ls->mu);
	pthread_cond_destroy(&ls->work);
	pthread_cond_destroy(&ls->space);
	pthread_cond_destroy(&ls->idle);
	free(ls->data_dir);
	free(ls);
}
