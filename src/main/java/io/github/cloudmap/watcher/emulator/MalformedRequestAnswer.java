package io.github.cloudmap.watcher.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers requests that Netty's HTTP decoder could not read (a malformed or conflicting
 * {@code Content-Length}, a header without a colon, a bad chunk size, a request line or headers
 * over Netty's limits) with an AWS JSON 1.1 error, {@code MalformedHttpRequestException}, like every
 * other answer of the emulator, and closes the connection. Without it, Reactor Netty answers them
 * itself with an empty 400, 414 or 431 that AWS clients cannot parse.
 *
 * <p>Sits in each connection's pipeline right after the HTTP codec, before Reactor Netty's own
 * handlers; one instance per connection, used only by that connection's event loop, so not
 * shared between threads. Requests that decode cleanly pass through untouched.
 */
final class MalformedRequestAnswer extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(MalformedRequestAnswer.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Once answered, everything else the client sends on this connection is dropped until it closes. */
    private boolean answered;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (answered) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof DecoderResultProvider provider && provider.decoderResult().isFailure()) {
            DecoderResult result = provider.decoderResult();
            ReferenceCountUtil.release(msg);
            answered = true;
            LOG.debug("Refusing a request that is not valid HTTP: {}", result.cause().toString());
            ctx.writeAndFlush(answer(result.cause())).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    static FullHttpResponse answer(Throwable cause) {
        HttpResponseStatus status = cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                : cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                : cause instanceof TooLongFrameException ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE
                : HttpResponseStatus.BAD_REQUEST;
        ObjectNode body = MAPPER.createObjectNode();
        body.put("__type", "MalformedHttpRequestException");
        body.put("Message", "The request could not be read as HTTP/1.1: " + cause.getMessage());
        byte[] bytes;
        try {
            bytes = MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            bytes = "{\"__type\":\"MalformedHttpRequestException\",\"Message\":\"The request could not be read as HTTP/1.1\"}"
                    .getBytes(StandardCharsets.UTF_8);
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, WireHandler.CONTENT_TYPE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set("x-amzn-RequestId", UUID.randomUUID().toString());
        return response;
    }
}
