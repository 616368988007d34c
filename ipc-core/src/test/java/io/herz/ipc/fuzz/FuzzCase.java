package io.herz.ipc.fuzz;

import java.util.List;

/**
 * A template and the mutations applied to it, in order.
 *
 * @param templateSelector which template (modulo their number).
 * @param mutations        the changes.
 */
record FuzzCase(int templateSelector, List<Mutation> mutations)
{
    SegmentTemplates.Template template(final List<SegmentTemplates.Template> templates)
    {
        return templates.get(templateSelector % templates.size());
    }

    byte[] apply(final List<SegmentTemplates.Template> templates)
    {
        final SegmentTemplates.Template template = template(templates);
        byte[] bytes = template.bytes().clone();
        for (final Mutation mutation : mutations)
        {
            bytes = mutation.apply(bytes, template);
        }
        return bytes;
    }
}
