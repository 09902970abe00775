package io.cairn.host.http;

import java.util.List;

/**
 * One page of a longer list.
 *
 * @param items  the page's items
 * @param total  how many items the whole list has
 * @param offset where the page starts in the whole list
 * @param limit  the most items a page holds
 * @param <T>    the items' type
 */
record Page<T>(List<T> items, int total, int offset, int limit) {

    Page {
        items = List.copyOf(items);
    }

    /** The page of {@code all} from {@code offset}, at most {@code limit} long. */
    static <T> Page<T> of(List<T> all, int offset, int limit) {
        int from = Math.min(offset, all.size());
        int to = Math.min(all.size(), from + limit);
        return new Page<>(all.subList(from, to), all.size(), offset, limit);
    }
}
