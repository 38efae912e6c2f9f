package io.github.cloudmap.watcher.emulator;

import static io.github.cloudmap.watcher.emulator.SdkClients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.servicediscovery.model.InvalidInputException;
import software.amazon.awssdk.services.servicediscovery.model.ResourceNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.Tag;
import software.amazon.awssdk.services.servicediscovery.model.TooManyTagsException;

/**
 * Tags on namespaces and services by ARN through the real SDK: given to the Create calls, added,
 * replaced, removed and listed, with the model's limit of 50 per resource.
 */
class TaggingIT {

    private EmulatorFixture fx;

    @BeforeEach
    void start() {
        fx = new EmulatorFixture();
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private static List<Tag> tags(int count, String prefix) {
        return IntStream.range(0, count).mapToObj(i -> Tag.builder().key(prefix + i).value("v" + i).build()).toList();
    }

    private List<Tag> listed(String arn) {
        return join(fx.client.listTagsForResource(r -> r.resourceARN(arn))).tags();
    }

    private String namespaceArn(String id) {
        return join(fx.client.getNamespace(r -> r.id(id))).namespace().arn();
    }

    @Test
    void tagsGivenToTheCreateCallsAreKept() {
        String op = join(fx.client.createHttpNamespace(r -> r.name("shop")
                .tags(Tag.builder().key("team").value("payments").build(),
                        Tag.builder().key("empty").value("").build()))).operationId();
        String namespaceId = fx.operation(op).targets().values().iterator().next();
        assertThat(listed(namespaceArn(namespaceId))).extracting(Tag::key, Tag::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("team", "payments"),
                        org.assertj.core.groups.Tuple.tuple("empty", ""));

        String serviceArn = fx.service(namespaceId, "cart", r -> r.tags(tags(3, "s"))).arn();
        assertThat(listed(serviceArn)).extracting(Tag::key).containsExactly("s0", "s1", "s2");
    }

    @Test
    void tagResourceAddsAndReplacesAndUntagResourceRemoves() {
        String namespaceId = fx.httpNamespace("shop");
        String arn = fx.service(namespaceId, "cart", r -> r.tags(Tag.builder().key("team").value("a").build())).arn();

        join(fx.client.tagResource(r -> r.resourceARN(arn).tags(Tag.builder().key("team").value("b").build(),
                Tag.builder().key("tier").value("gold").build())));
        assertThat(listed(arn)).extracting(Tag::key, Tag::value).containsExactly(
                org.assertj.core.groups.Tuple.tuple("team", "b"), org.assertj.core.groups.Tuple.tuple("tier", "gold"));

        join(fx.client.untagResource(r -> r.resourceARN(arn).tagKeys("team", "not-there")));
        assertThat(listed(arn)).extracting(Tag::key).containsExactly("tier");

        String nsArn = namespaceArn(namespaceId);
        join(fx.client.tagResource(r -> r.resourceARN(nsArn).tags(tags(2, "n"))));
        assertThat(listed(nsArn)).extracting(Tag::key).containsExactly("n0", "n1");
        assertThat(listed(arn)).as("each resource has its own tags").extracting(Tag::key).containsExactly("tier");
    }

    @Test
    void aResourceHoldsAtMost50Tags() {
        String namespaceId = fx.httpNamespace("shop");
        String arn = fx.service(namespaceId, "cart", r -> r.tags(tags(40, "a"))).arn();

        assertThatThrownBy(() -> join(fx.client.tagResource(r -> r.resourceARN(arn).tags(tags(11, "b")))))
                .isInstanceOfSatisfying(TooManyTagsException.class, e -> assertThat(e.resourceName()).isEqualTo(arn));
        assertThat(listed(arn)).as("a refused TagResource changes nothing").hasSize(40);
        // Replacing existing keys does not count twice.
        join(fx.client.tagResource(r -> r.resourceARN(arn).tags(tags(50, "a"))));
        assertThat(listed(arn)).hasSize(50);

        assertThatThrownBy(() -> fx.service(namespaceId, "big", r -> r.tags(tags(51, "c"))))
                .isInstanceOf(TooManyTagsException.class);
        assertThatThrownBy(() -> join(fx.client.createHttpNamespace(r -> r.name("big").tags(tags(51, "c")))))
                .isInstanceOf(TooManyTagsException.class);
        assertThat(fx.emulator.operations()).as("no namespace creation submitted").hasSize(1);
    }

    @Test
    void unknownArnsAreResourceNotFoundAndMalformedOnesInvalidInput() {
        String namespaceId = fx.httpNamespace("shop");
        String arn = fx.service(namespaceId, "cart", r -> { }).arn();
        String unknown = arn.replaceAll("srv-.*", "srv-nope000000000000");
        assertThatThrownBy(() -> listed(unknown)).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> join(fx.client.tagResource(r -> r.resourceARN(unknown).tags(tags(1, "a")))))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> join(fx.client.untagResource(r -> r.resourceARN(unknown).tagKeys("a"))))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> listed(arn.replace("us-east-1", "eu-west-1")))
                .as("another Region's ARN").isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> listed("srv-12345")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("ResourceARN");

        String serviceId = arn.substring(arn.lastIndexOf('/') + 1);
        join(fx.client.deleteService(r -> r.id(serviceId)));
        assertThatThrownBy(() -> listed(arn)).as("tags go with their resource")
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void tagKeysAndValuesFollowTheModel() {
        String arn = fx.service(fx.httpNamespace("shop"), "cart", r -> { }).arn();
        assertThatThrownBy(() -> join(fx.client.tagResource(r -> r.resourceARN(arn)
                .tags(Tag.builder().key("k".repeat(129)).value("v").build()))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("Key");
        assertThatThrownBy(() -> join(fx.client.tagResource(r -> r.resourceARN(arn)
                .tags(Tag.builder().key("k").value("v".repeat(257)).build()))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("Value");
        assertThatThrownBy(() -> join(fx.client.tagResource(r -> r.resourceARN(arn)
                .tags(Tag.builder().key("aws:owner").value("me").build()))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("reserved");
        assertThat(listed(arn)).isEmpty();
    }
}
