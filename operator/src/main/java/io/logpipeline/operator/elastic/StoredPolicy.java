package io.logpipeline.operator.elastic;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A lifecycle policy as the cluster stores it.
 *
 * @param policy the policy object (ILM: {@code phases} and {@code _meta}; ISM: {@code states},
 *     {@code description}, {@code ism_template} and the fields ISM adds)
 * @param seqNo ISM's {@code _seq_no}, which an update must send back; -1 for ILM
 * @param primaryTerm ISM's {@code _primary_term}, likewise; -1 for ILM
 */
public record StoredPolicy(ObjectNode policy, long seqNo, long primaryTerm) {}
