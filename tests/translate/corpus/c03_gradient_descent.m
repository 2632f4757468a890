% c03_gradient_descent.m
% Minimise a quadratic bowl by gradient descent: the loss and its gradient
% are anonymous functions, the loop a while that breaks once the step is
% small, and the loss history grows by one element per iteration.
A = [3 1; 1 2];
b = [1; -1];
loss = @(w) 0.5 * w' * A * w - b' * w;
grad = @(w) A * w - b;
w = [2; 2];
lr = 0.2;
history = [];
iter = 0;
while true
  iter = iter + 1;
  step = lr * grad(w);
  w = w - step;
  history(end+1) = loss(w);
  if norm(step) < 1e-8
    break
  end
  if iter >= 500
    break
  end
end
w_exact = A \ b;
err = abs(w - w_exact);
fprintf('converged after %d iterations, loss %.6f\n', iter, history(end));
